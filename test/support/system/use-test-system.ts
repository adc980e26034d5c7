import { createTenant, type Tenant } from './fixtures';
import { startTestReceiver, type TestReceiver } from './test-receiver';
import { startTestSystem, type ApiResponse, type TestSystem, type TestSystemOptions } from './test-system';

export interface UseTestSystemOptions extends TestSystemOptions {
  /** Also start a test receiver on 127.0.0.1. @default false */
  receiver?: boolean;
  /** Also create a tenant: a team with a full-rights token, a project and a route. @default false */
  tenant?: boolean;
}

/** What {@link useTestSystem} started for a file; there from its `before` hook on, so read it in hooks and tests. */
export interface TestSystemContext {
  readonly system: TestSystem;
  readonly receiver: TestReceiver;
  readonly tenant: Tenant;
  /** A call to the API with `body` as JSON, as the tenant unless `token` says otherwise. */
  api<T = any>(method: string, path: string, body?: unknown, token?: string): Promise<ApiResponse<T>>;
}

/**
 * Registers the `before` and `after` hooks of a test file (call it inside its `describe`): a test system of the
 * file's own and, when asked, a receiver and a tenant; closed again after the file's tests, receiver first.
 */
export function useTestSystem(options: UseTestSystemOptions): TestSystemContext {
  const { receiver: withReceiver = false, tenant: withTenant = false, ...systemOptions } = options;
  let system: TestSystem | undefined;
  let receiver: TestReceiver | undefined;
  let tenant: Tenant | undefined;

  before(async () => {
    system = await startTestSystem(systemOptions);
    if (withReceiver) receiver = await startTestReceiver();
    if (withTenant) tenant = await createTenant(system.database.db);
  });

  after(async () => {
    await receiver?.close();
    await system?.close();
  });

  const ready = <T>(value: T | undefined, what: string, asked = true): T => {
    if (!asked) throw new Error(`useTestSystem starts ${what} only when asked: { ${what}: true }`);
    if (value === undefined)
      throw new Error(`no ${what} yet: useTestSystem starts it in before(), read it in hooks and tests`);
    return value;
  };
  const context: TestSystemContext = {
    get system() {
      return ready(system, 'system');
    },
    get receiver() {
      return ready(receiver, 'receiver', withReceiver);
    },
    get tenant() {
      return ready(tenant, 'tenant', withTenant);
    },
    api: (method, path, body, token) =>
      context.system.api(method, path, { token: token ?? context.tenant.token, body }),
  };
  return context;
}
