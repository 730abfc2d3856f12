/** Every activity the worker registers. */
export { ping } from './ping';
