import type { Request } from 'express';
import { describeTokenEndpointContract, forRequest, type ContractOptions } from '../../web/test/contract/tokenEndpoint.js';
import { businessTokenHandler } from '../src/index.js';
import { expressVersions, listen } from './helpers.js';

const handler = (options: ContractOptions) => businessTokenHandler(forRequest<Request>(options, (req) => ({ header: (header) => req.get(header) })));

// The business-token endpoint contract (cross-site refusal, authorize, no-store, JSON shape,
// error mapping, the bounded rejected-token fingerprint, the per-identity rate limit, browser
// policy and lifetime, methods), through Express 4 and 5: the same table @fintoken/web is held
// to, so the two adapters cannot drift apart.
for (const { name, express } of expressVersions) {
  describeTokenEndpointContract({
    name,
    factory: 'businessTokenHandler',
    create: handler,
    serve: (routes) => {
      const app = express();
      for (const [path, options] of Object.entries(routes)) app.all(path, handler(options));
      return listen(app);
    },
  });
}
