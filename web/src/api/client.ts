// The console's API client: the API that served the console. http.ts builds it and reads no browser global
// at import, so the unit tests run the same code under Node against a local server (a fake `window` set up
// before import would need the DOM's types in the root type check and would be one more thing to keep true).
import { createApi } from './http';

export * from './http';

export const api = createApi(window.location.origin);
