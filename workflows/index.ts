/** Every workflow the worker registers. */
export { systemCheck } from './systemCheck';
export { certification } from './certification';
export { citizenAccount } from './citizenAccount';
export { appointment } from './appointment';
export { supportRequest } from './supportRequest';
export { landPayment } from './landPayment';
export { supervisorDigest } from './supervisorDigest';
