// Placeholder while this view is being built.
export function ConflictsScreen(_props: { param: string | null }) {
  return (
    <section className="screen">
      <h1 id="page-heading" tabIndex={-1}>
        Conflicts
      </h1>
    </section>
  );
}
