import { ValidationError, type MockCondition, type MockResponse } from '@verdict/contracts';
import { checkResponse, compileTest, pathParams } from './compile';

type ConditionInput = Pick<
  MockCondition,
  'parameterName' | 'parameterSource' | 'operator' | 'expectedValue'
> & {
  response: MockResponse;
};

/** Runs check; a ValidationError it throws is renamed to the field under prefix. */
function under(prefix: string, check: () => void): void {
  try {
    check();
  } catch (error) {
    if (error instanceof ValidationError && prefix)
      throw new ValidationError(error.message, error.field ? `${prefix}.${error.field}` : prefix);
    throw error;
  }
}

const join = (prefix: string, field: string) => (prefix ? `${prefix}.${field}` : field);

/**
 * Everything that could fail at request time, checked when a condition is saved: its regular
 * expression, JSON path, numeric bound, path parameter, and its answer's templates.
 */
export function checkCondition(c: ConditionInput, routePath: string, prefix = ''): void {
  under(prefix, () => compileTest(c, routePath));
  checkResponse(c.response, pathParams(routePath), join(prefix, 'response'));
}

export function checkRoute(
  r: { path: string; response: MockResponse; conditions?: ConditionInput[] },
  prefix = '',
): void {
  checkResponse(r.response, pathParams(r.path), join(prefix, 'response'));
  r.conditions?.forEach((c, i) => checkCondition(c, r.path, join(prefix, `conditions.${i}`)));
}
