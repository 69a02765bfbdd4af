// `express4` is an npm alias of express@4 with no types of its own; the tests only use the API
// that Express 4 and 5 share, so Express's (v5) types describe it well enough.
declare module 'express4' {
  import express = require('express');
  export = express;
}
