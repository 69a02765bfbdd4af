export default function Home() {
  return (
    <main>
      <h1>fintoken + Next.js</h1>
      <p>
        <code>POST /api/layer-token</code> hands the signed-in user&apos;s browser a Layer token for their business (Node
        runtime); <code>/api/edge/layer-token</code> is the same route on the edge runtime.
      </p>
    </main>
  );
}
