// Placeholder while this view is being built.
export function DuplicatesScreen(_props: { param: string | null }) {
  return (
    <section className="screen">
      <h1 id="page-heading" tabIndex={-1}>
        Duplicates
      </h1>
    </section>
  );
}
