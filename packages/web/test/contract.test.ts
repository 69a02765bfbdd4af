import { businessTokenRoute, type BusinessTokenRouteOptions } from '../src/index.js';
import { describeTokenEndpointContract, forRequest } from './contract/tokenEndpoint.js';
import { byPath, serveFetch } from './support/serve.js';

// The shared endpoint contract, through @fintoken/web on a real Node HTTP server (@hono/node-server).
describeTokenEndpointContract({
  name: '@fintoken/web on @hono/node-server',
  serve: (routes) =>
    serveFetch(
      byPath(
        Object.fromEntries(
          Object.entries(routes).map(([path, options]) => [
            path,
            businessTokenRoute(forRequest<Request>(options, (request) => ({ header: (name) => request.headers.get(name) ?? undefined })) as BusinessTokenRouteOptions),
          ]),
        ),
      ),
    ),
});
