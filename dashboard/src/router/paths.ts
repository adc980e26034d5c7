/** Every screen's address, under the one path the API process serves the dashboard from. */
export const BASE_PATH = '/dashboard';

const id = encodeURIComponent;

export const paths = {
  projects: () => `${BASE_PATH}/`,
  project: (projectId: string) => `${BASE_PATH}/projects/${id(projectId)}`,
  route: (routeId: string) => `${BASE_PATH}/routes/${id(routeId)}`,
  routeSettings: (routeId: string) => `${BASE_PATH}/routes/${id(routeId)}/settings`,
  webhook: (webhookId: string) => `${BASE_PATH}/webhooks/${id(webhookId)}`,
  attempt: (webhookId: string, attemptId: string) => `${BASE_PATH}/webhooks/${id(webhookId)}/attempts/${id(attemptId)}`,
  delivery: (deliveryId: string) => `${BASE_PATH}/deliveries/${id(deliveryId)}`,
};
