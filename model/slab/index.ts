export * from './connection_slab_objects';
