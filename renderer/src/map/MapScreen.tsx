// Placeholder while this view is being built.
export function MapScreen(_props: { param: string | null }) {
  return (
    <section className="screen">
      <h1 id="page-heading" tabIndex={-1}>
        Map
      </h1>
    </section>
  );
}
