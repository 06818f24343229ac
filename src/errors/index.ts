export { AppError, type AppErrorOptions, errors, type FieldProblem } from './app-error.ts';
export { type Problem, toAppError, toProblem } from './problem.ts';
