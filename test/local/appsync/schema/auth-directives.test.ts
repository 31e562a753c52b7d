// The directive rules on the project's schema: field over type, type over default, groups.
import { describe, expect, it } from 'vitest';
import { buildAppSyncSchema, buildAppSyncSchemaFromSDL } from '../../../../local/appsync/schema/build.ts';
import { readFileSync } from 'node:fs';

const { auth, subscriptionsByMutation } = buildAppSyncSchema(process.cwd(), 'AMAZON_COGNITO_USER_POOLS');
const user = (groups: string[] = []) => ({ mode: 'AMAZON_COGNITO_USER_POOLS' as const, groups });
const apiKey = { mode: 'API_KEY' as const, groups: [] };
const iam = { mode: 'AWS_IAM' as const, groups: [] };

describe('auth directive model (schema/schema.graphql)', () => {
  it('uses field directives first', () => {
    expect(auth.rulesFor('Mutation', 'createProvider')).toEqual([{ mode: 'AMAZON_COGNITO_USER_POOLS', groups: ['providers', 'admins'] }]);
    expect(auth.allows('Mutation', 'publishSlotChange', iam)).toBe(true);
    expect(auth.allows('Mutation', 'publishSlotChange', user())).toBe(false);
  });

  it('falls back to the type directives, then to the default mode only', () => {
    expect(auth.allows('Slot', 'status', apiKey)).toBe(true);
    expect(auth.allows('Slot', 'status', iam)).toBe(false);
    expect(auth.allows('SlotChange', 'slotId', iam)).toBe(true);
    expect(auth.allows('Booking', 'notes', user())).toBe(true);
    expect(auth.allows('Booking', 'notes', apiKey)).toBe(false);
    expect(auth.allows('Booking', 'notes', iam)).toBe(false);
    expect(auth.rulesFor('Query', 'myBookings')).toEqual([{ mode: 'AMAZON_COGNITO_USER_POOLS' }]);
  });

  it('requires one of the listed cognito_groups', () => {
    expect(auth.allows('Mutation', 'createProvider', user())).toBe(false);
    expect(auth.allows('Mutation', 'createProvider', user(['admins']))).toBe(true);
    expect(auth.allows('Mutation', 'createProvider', user(['providers', 'other']))).toBe(true);
    expect(auth.allows('Mutation', 'createProvider', apiKey)).toBe(false);
  });

  it('maps mutations to the subscriptions that listen to them', () => {
    expect(subscriptionsByMutation.get('publishSlotChange')).toEqual(['onSlotChanged', 'onSlotReleased']);
    expect(subscriptionsByMutation.get('publishBookingChange')).toEqual(['onMyBookingChanged']);
    expect(subscriptionsByMutation.has('createBooking')).toBe(false);
  });

  it('treats legacy @aws_auth as user pools with groups, and a field directive overrides its type', () => {
    const sdl = `${readFileSync('schema/appsync.graphql', 'utf8')}
      type T @aws_iam { a: String, b: String @aws_api_key, c: String @aws_auth(cognito_groups: ["admins"]) }
      type Query { t: T }`;
    const m = buildAppSyncSchemaFromSDL(sdl, 'API_KEY').auth;
    expect(m.allows('T', 'a', iam)).toBe(true);
    expect(m.allows('T', 'a', apiKey)).toBe(false);
    expect(m.allows('T', 'b', apiKey)).toBe(true);
    expect(m.allows('T', 'b', iam)).toBe(false);
    expect(m.allows('T', 'c', user(['admins']))).toBe(true);
    expect(m.allows('T', 'c', user())).toBe(false);
    expect(m.allows('Query', 't', apiKey)).toBe(true);
    expect(m.allows('Query', 't', iam)).toBe(false);
  });

  describe('cognito_groups values (SDL validation does not check them)', () => {
    const model = (directives: string) =>
      buildAppSyncSchemaFromSDL(`${readFileSync('schema/appsync.graphql', 'utf8')}\ntype Query { a: String ${directives} }`, 'API_KEY').auth;

    it('reads one string as a one-item list, as input coercion does, not as "any user-pool caller"', () => {
      const m = model('@aws_cognito_user_pools(cognito_groups: "admins")');
      expect(m.rulesFor('Query', 'a')).toEqual([{ mode: 'AMAZON_COGNITO_USER_POOLS', groups: ['admins'] }]);
      expect(m.allows('Query', 'a', user(['admins']))).toBe(true);
      expect(m.allows('Query', 'a', user(['other']))).toBe(false);
      expect(m.allows('Query', 'a', user())).toBe(false);
      expect(model('@aws_auth(cognito_groups: "admins")').rulesFor('Query', 'a')).toEqual([{ mode: 'AMAZON_COGNITO_USER_POOLS', groups: ['admins'] }]);
    });

    it('refuses a value that is not a string or a list of strings, naming the field, when the schema is built', () => {
      expect(() => model('@aws_cognito_user_pools(cognito_groups: 5)')).toThrow(
        'Query.a: @aws_cognito_user_pools(cognito_groups: 5): cognito_groups must be a String or a list of Strings',
      );
      expect(() => model('@aws_cognito_user_pools(cognito_groups: ["admins", 5])')).toThrow(/^Query\.a: .*must be a String or a list of Strings$/);
      expect(() => model('@aws_auth(cognito_groups: null)')).toThrow(/^Query\.a: @aws_auth\(cognito_groups: null\)/);
      const onType = `${readFileSync('schema/appsync.graphql', 'utf8')}\ntype T @aws_cognito_user_pools(cognito_groups: {g: "admins"}) { b: String @aws_iam }\ntype Query { t: T }`;
      expect(() => buildAppSyncSchemaFromSDL(onType, 'API_KEY')).toThrow(/^T: @aws_cognito_user_pools\(cognito_groups: \{g: "admins"\}\)/);
    });

    it('reads a null list on @aws_cognito_user_pools as no groups', () => {
      expect(model('@aws_cognito_user_pools(cognito_groups: null)').allows('Query', 'a', user())).toBe(true);
    });
  });
});
