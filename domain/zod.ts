// zod, extended with `.openapi()` before any schema is built: zod 4 sets methods per instance, so a schema
// made before the extension could not be documented. Every schema module imports z from here.
import { extendZodWithOpenApi } from '@asteasolutions/zod-to-openapi';
import { z } from 'zod';

extendZodWithOpenApi(z);

export { z };
