/**
 * Api request parameters: the CEL rules crds/turnpike.dev_apis.yaml declares on each item of
 * spec.parameters and on its name, in CRD order. (Uniqueness by name and location is the list
 * type's, checked from the schema in listtype.ts.)
 */
import type { ApiParameter } from '../api/types';
import { cel, lowerAscii, type Rule } from './common';

const PARAMETER_NAME = /^[A-Za-z][A-Za-z0-9_.-]*$/;
const NUMBER = /^-?[0-9]+(\.[0-9]+)?$/;

const at = '.spec.parameters[]';
const lowerName = (self: { readonly name?: string }): string => lowerAscii(self.name ?? '');

export const apiParameterRules: readonly Rule[] = [
  cel<ApiParameter>(
    at,
    'parameters: names starting with x-apig- or x-sdk- are reserved by the gateway',
    (self) => !(lowerName(self).startsWith('x-apig-') || lowerName(self).startsWith('x-sdk-')),
    '.name',
  ),
  cel<ApiParameter>(at, 'parameters: x-stage is reserved (it selects the environment)', (self) => lowerName(self) !== 'x-stage', '.name'),
  cel<ApiParameter>(
    at,
    'parameters: HEADER parameters must not be Authorization or X-Auth-Token',
    (self) => self.in !== 'HEADER' || !['authorization', 'x-auth-token'].includes(lowerName(self)),
    '.name',
  ),
  cel<ApiParameter>(
    at,
    "parameters: HEADER parameter names must not contain '_'",
    (self) => self.in !== 'HEADER' || !(self.name ?? '').includes('_'),
    '.name',
  ),
  cel<ApiParameter>(
    at,
    'parameters: a PATH parameter is always required; remove required: false',
    (self) => self.in !== 'PATH' || self.required !== false,
    '.required',
  ),
  cel<ApiParameter>(
    at,
    'parameters: default applies only to optional QUERY or HEADER parameters',
    (self) => self.default === undefined || (self.in !== 'PATH' && self.required !== true),
    '.default',
  ),
  cel<ApiParameter>(
    at,
    'parameters: default must be one of enum',
    (self) => self.default === undefined || self.enum === undefined || self.enum.includes(self.default),
    '.default',
  ),
  cel<ApiParameter>(
    at,
    'parameters: minimum and maximum apply only to type NUMBER (use minLength/maxLength for STRING)',
    (self) => (self.minimum === undefined && self.maximum === undefined) || self.type === 'NUMBER',
  ),
  cel<ApiParameter>(
    at,
    'parameters: minLength and maxLength apply only to type STRING (use minimum/maximum for NUMBER)',
    (self) => (self.minLength === undefined && self.maxLength === undefined) || self.type === 'STRING',
  ),
  cel<ApiParameter>(
    at,
    'parameters: minimum must not be greater than maximum',
    (self) => self.minimum === undefined || self.maximum === undefined || self.minimum <= self.maximum,
  ),
  cel<ApiParameter>(
    at,
    'parameters: minLength must not be greater than maxLength',
    (self) => self.minLength === undefined || self.maxLength === undefined || self.minLength <= self.maxLength,
  ),
  cel<ApiParameter>(
    at,
    'parameters: default and enum values of a NUMBER parameter must be numbers such as 10 or -2.5',
    (self) =>
      self.type !== 'NUMBER' ||
      ((self.default === undefined || NUMBER.test(self.default)) && (self.enum === undefined || self.enum.every((e) => NUMBER.test(e)))),
  ),
  cel<string>(
    `${at}.name`,
    "parameters: name must start with a letter and contain only letters, digits, '-', '_' and '.'",
    (self) => PARAMETER_NAME.test(self),
  ),
];
