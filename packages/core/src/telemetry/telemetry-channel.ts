import { checkArgument } from '../validation';
import type { NeptuneEvent, NeptuneEventOf, NeptuneEventType } from './events';

/** A function called with each telemetry event it subscribed to. */
export type TelemetryListener<Event extends NeptuneEvent = NeptuneEvent> = (event: Event) => void;

/**
 * A synchronous, typed event channel. Emitting with no subscriber is one property read and a branch;
 * callers that build costly payloads check `active` first. A listener that throws is isolated: the
 * error is reported to the other listeners' `onListenerError` and never reaches the emitter.
 */
export interface TelemetryChannel {
  /** True when at least one listener is subscribed. */
  readonly active: boolean;
  emit(event: NeptuneEvent): void;
  /** Subscribes to every event, or to the listed types only. Returns the unsubscribe function. */
  subscribe(listener: TelemetryListener, types?: readonly NeptuneEventType[]): () => void;
  on<Type extends NeptuneEventType>(
    type: Type,
    listener: TelemetryListener<NeptuneEventOf<Type>>,
  ): () => void;
}

/** Options of `createTelemetryChannel`. */
export interface TelemetryChannelOptions {
  /** Called when a listener throws. Default: ignored, so that telemetry can never break a request. */
  readonly onListenerError?: ((error: unknown, event: NeptuneEvent) => void) | undefined;
}

class Channel implements TelemetryChannel {
  active = false;
  #all: TelemetryListener[] = [];
  #byType = new Map<NeptuneEventType, TelemetryListener[]>();
  readonly #onListenerError: ((error: unknown, event: NeptuneEvent) => void) | undefined;

  constructor(options: TelemetryChannelOptions) {
    this.#onListenerError = options.onListenerError;
  }

  emit(event: NeptuneEvent): void {
    if (!this.active) return;
    const typed = this.#byType.get(event.type);
    for (const listener of this.#all) this.#deliver(listener, event);
    if (typed !== undefined) for (const listener of typed) this.#deliver(listener, event);
  }

  #deliver(listener: TelemetryListener, event: NeptuneEvent): void {
    try {
      listener(event);
    } catch (error) {
      this.#onListenerError?.(error, event);
    }
  }

  subscribe(listener: TelemetryListener, types?: readonly NeptuneEventType[]): () => void {
    // Copy-on-write: an emit in progress keeps iterating the list it started with.
    if (types === undefined) this.#all = [...this.#all, listener];
    else for (const type of types) this.#byType.set(type, [...(this.#byType.get(type) ?? []), listener]);
    this.#refresh();
    let subscribed = true;
    return () => {
      if (!subscribed) return;
      subscribed = false;
      if (types === undefined) this.#all = this.#all.filter((item) => item !== listener);
      else
        for (const type of types) {
          const remaining = (this.#byType.get(type) ?? []).filter((item) => item !== listener);
          if (remaining.length === 0) this.#byType.delete(type);
          else this.#byType.set(type, remaining);
        }
      this.#refresh();
    };
  }

  on<Type extends NeptuneEventType>(
    type: Type,
    listener: TelemetryListener<NeptuneEventOf<Type>>,
  ): () => void {
    return this.subscribe(listener as TelemetryListener, [type]);
  }

  #refresh(): void {
    this.active = this.#all.length > 0 || this.#byType.size > 0;
  }
}

/** A new telemetry channel, separate from the process-wide one of `defaultTelemetry()`. */
export function createTelemetryChannel(options: TelemetryChannelOptions = {}): TelemetryChannel {
  checkArgument(
    options === undefined ||
      (typeof options === 'object' &&
        options !== null &&
        (options.onListenerError === undefined || typeof options.onListenerError === 'function')),
    'createTelemetryChannel(options)',
    'an options object, whose onListenerError is a function',
    options,
  );
  return new Channel(options ?? {});
}

const GLOBAL_KEY = Symbol.for('neptune.telemetry.default-channel');

/**
 * The process-wide channel every package emits to unless given another. Kept on `globalThis` under a
 * `Symbol.for` key so that two copies of `@neptune/core` in one bundle still share it.
 */
export function defaultTelemetry(): TelemetryChannel {
  const holder = globalThis as { [GLOBAL_KEY]?: TelemetryChannel };
  holder[GLOBAL_KEY] ??= createTelemetryChannel();
  return holder[GLOBAL_KEY];
}

/** A channel that drops everything, for callers that want no telemetry at all. */
export const noopTelemetry: TelemetryChannel = Object.freeze({
  active: false,
  emit: () => {},
  subscribe: () => () => {},
  on: () => () => {},
});
