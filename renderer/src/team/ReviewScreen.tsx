// Placeholder while this view is being built.
export function ReviewScreen(_props: { param: string | null }) {
  return (
    <section className="screen">
      <h1 id="page-heading" tabIndex={-1}>
        Review
      </h1>
    </section>
  );
}
