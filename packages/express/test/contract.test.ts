import type { Request } from 'express';
import { describeTokenEndpointContract, forRequest } from '../../web/test/contract/tokenEndpoint.js';
import { businessTokenHandler } from '../src/index.js';
import { expressVersions, listen } from './helpers.js';

// The business-token endpoint contract (authorize, no-store, JSON shape, error mapping, the
// rejected-token fingerprint, the rate limit, methods), through Express 4 and 5: the same table
// @fintoken/web is held to, so the two adapters cannot drift apart.
for (const { name, express } of expressVersions) {
  describeTokenEndpointContract({
    name,
    serve: (routes) => {
      const app = express();
      for (const [path, options] of Object.entries(routes)) {
        app.all(path, businessTokenHandler(forRequest<Request>(options, (req) => ({ header: (header) => req.get(header) }))));
      }
      return listen(app);
    },
  });
}
