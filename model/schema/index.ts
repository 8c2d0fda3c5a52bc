export { format_zod_error, InputError } from './format_zod_error';
