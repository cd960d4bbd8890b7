// The console's API client: the API that served the console. (http.ts builds it, without reading a browser
// global at import, so that the unit tests import the same code under Node against a local server.)
import { createApi } from './http';

export * from './http';

export const api = createApi(window.location.origin);
