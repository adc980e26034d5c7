/**
 * The root of every error the domain raises on purpose. The API maps each kind to a status and a body in one place
 * (src/api/error-middleware.ts); activities map them to Temporal failures; nothing below the API knows HTTP.
 */
export abstract class AppError extends Error {
  override name = this.constructor.name;
}
