import { busContract } from '@verdict/testing';
import { InProcessBus } from './in-process-bus';

// One in-process bus is one process: its "peer" is the same bus (a second process would not share it).
busContract('in-process', async () => {
  const bus = new InProcessBus({ retryDelaysMs: [50, 100], maxRetries: 2 });
  return { bus, peer: async () => sharedView(bus), cleanup: () => bus.close() };
});

/** A view of the same bus whose close() only drains its own subscriptions, as a second process would. */
function sharedView(bus: InProcessBus): InProcessBus {
  const subs: { cancel(): Promise<void> }[] = [];
  return new Proxy(bus, {
    get(target, prop) {
      if (prop === 'subscribe') {
        return async (o: Parameters<InProcessBus['subscribe']>[0]) => {
          const s = await target.subscribe(o);
          subs.push(s);
          return s;
        };
      }
      if (prop === 'close') return async () => void (await Promise.all(subs.map((s) => s.cancel())));
      const v = Reflect.get(target, prop);
      return typeof v === 'function' ? v.bind(target) : v;
    },
  });
}
