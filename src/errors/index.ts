export { AppError, type AppErrorOptions, errors, type FieldProblem } from './app-error.ts';
export { type CodesOf, type CodeWithStatus, catalogue, type ErrorCode } from './catalogue.ts';
export { type Problem, toAppError, toProblem } from './problem.ts';
