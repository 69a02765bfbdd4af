// One serverless cold start with fintoken: a new node process that imports one provider package
// and gets its first token from the sandbox, then reports. Started by scenarios/coldStart.ts with
// plain `node` (no tsx: its loader would be charged to the row), the target in the environment.
const target = JSON.parse(process.env.FINTOKEN_BENCH_TARGET ?? '{}');
const t0 = performance.now();
let client;
switch (target.provider) {
  case 'layer': {
    const { createLayerClient } = await import('@fintoken/layer');
    client = createLayerClient({ clientId: target.clientId, clientSecret: target.clientSecret, environment: 'sandbox', authUrl: target.tokenUrl, apiUrl: target.apiUrl });
    break;
  }
  case 'thredfi': {
    const { createThredfiClient } = await import('@fintoken/thredfi');
    client = createThredfiClient({ partnerId: target.clientId, apiKey: target.clientSecret, baseUrl: target.baseUrl });
    break;
  }
  case 'asset': {
    const { createAssetClient } = await import('@fintoken/asset');
    client = createAssetClient({ clientId: target.clientId, clientSecret: target.clientSecret, environment: 'sandbox', baseUrl: target.baseUrl });
    break;
  }
  case 'layer1': {
    const { createLayer1Client } = await import('@fintoken/layer1');
    client = createLayer1Client({ clientId: target.clientId, clientSecret: target.clientSecret, tokenUrl: target.tokenUrl });
    break;
  }
  default:
    throw new Error(`unknown provider ${target.provider}`);
}
const t1 = performance.now();
const token = await client.getToken();
const t2 = performance.now();
if (typeof token.accessToken !== 'string' || token.accessToken.length === 0) throw new Error('no token');
process.stdout.write(`${JSON.stringify({ importMs: t1 - t0, tokenMs: t2 - t1, maxRssKiB: process.resourceUsage().maxRSS })}\n`);
// The client's keep-alive socket would hold the process open: the function is done.
process.exit(0);
