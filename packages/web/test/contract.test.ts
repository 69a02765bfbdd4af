import { businessTokenRoute } from '../src/index.js';
import { describeTokenEndpointContract, forRequest, type ContractOptions } from './contract/tokenEndpoint.js';
import { byPath, serveFetch } from './support/serve.js';

const route = (options: ContractOptions) => businessTokenRoute(forRequest<Request>(options, (request) => ({ header: (name) => request.headers.get(name) ?? undefined })));

// The shared endpoint contract, through @fintoken/web on a real Node HTTP server (@hono/node-server).
describeTokenEndpointContract({
  name: '@fintoken/web on @hono/node-server',
  factory: 'businessTokenRoute',
  create: route,
  serve: (routes) => serveFetch(byPath(Object.fromEntries(Object.entries(routes).map(([path, options]) => [path, route(options)])))),
});
