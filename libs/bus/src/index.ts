export * from './message-bus.port';
export * from './topic-pattern';
export * from './failure-policy';
export * from './create-bus';
export { InProcessBus, type InProcessBusOptions } from './in-process/in-process-bus';
export { RabbitMqBus, type RabbitMqBusOptions } from './rabbitmq/rabbitmq-bus';
