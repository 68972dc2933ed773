// Placeholder while this view is being built.
export function NetworkScreen(_props: { param: string | null }) {
  return (
    <section className="screen">
      <h1 id="page-heading" tabIndex={-1}>
        Network
      </h1>
    </section>
  );
}
