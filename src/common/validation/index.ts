export * from './strict-dto';
export * from './strict-validation.pipe';
