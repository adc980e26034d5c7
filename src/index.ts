// The package's public surface for receivers: verify and parse what Tidehook sends.
export * from './signature';
