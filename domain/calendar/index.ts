/** The working calendar: data model, local-time helpers, deadline arithmetic and the national seed. */
export * from './localTime';
export * from './model';
export * from './workingTime';
export * from './vietnam-holidays';
