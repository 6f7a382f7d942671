'use client';

import { useChat } from '@ai-sdk/react';
import { DefaultChatTransport, type SourceDocumentUIPart } from 'ai';
import { type FormEvent, Fragment, type ReactNode, useState } from 'react';
import type { ChatMessage, CitationMetadata } from '@/lib/chat-message';

const SUGGESTIONS = [
  'Can I get a refund after cancelling a yearly plan?',
  'How do we set up single sign-on with Okta?',
  'What happens when we send too many API requests?',
];

// The route keeps the conversation (@neptune/memory): send only the chat id and the new question.
const transport = new DefaultChatTransport<ChatMessage>({
  api: '/api/chat',
  prepareSendMessagesRequest: ({ id, messages }) => {
    const last = messages.at(-1);
    return { body: { conversationId: id, message: last === undefined ? '' : textOf(last) } };
  },
});

function textOf(message: ChatMessage): string {
  return message.parts.map((part) => (part.type === 'text' ? part.text : '')).join('');
}

function citationsOf(message: ChatMessage): Array<SourceDocumentUIPart & { marker: number }> {
  return message.parts.flatMap((part) => {
    if (part.type !== 'source-document') return [];
    const neptune = part.providerMetadata?.neptune as CitationMetadata | undefined;
    return [{ ...part, marker: neptune?.marker ?? 0 }];
  });
}

/** The answer's text with each [n] linked to its citation below. */
function withMarkers(text: string, messageId: string): ReactNode {
  return text.split(/(\[\d{1,3}\])/).map((piece, index) => {
    const marker = /^\[(\d{1,3})\]$/.exec(piece)?.[1];
    // biome-ignore lint/suspicious/noArrayIndexKey: the pieces of one text, in a fixed order.
    if (marker === undefined) return <Fragment key={index}>{piece}</Fragment>;
    return (
      // biome-ignore lint/suspicious/noArrayIndexKey: the pieces of one text, in a fixed order.
      <a key={index} className="marker" href={`#${messageId}-cite-${marker}`}>
        {piece}
      </a>
    );
  });
}

const plural = (count: number | undefined, noun: string) =>
  count === undefined ? undefined : `${count} ${noun}${count === 1 ? '' : 's'}`;

function Details({ message }: { message: ChatMessage }) {
  const metadata = message.metadata;
  if (metadata?.promptTokens === undefined) return null;
  const parts = [
    metadata.model,
    `prompt ${metadata.promptTokens.toLocaleString('en-US')} of ${metadata.maxTokens?.toLocaleString('en-US')} tokens`,
    plural(metadata.contextItems, 'context item'),
    plural(metadata.passages, 'passage'),
    plural(metadata.memoryMessages, 'remembered message'),
    metadata.durationMs === undefined ? undefined : `${metadata.durationMs} ms`,
  ].filter(Boolean);
  return <p className="details">{parts.join(' · ')}</p>;
}

type RatingState = 'idle' | 'sending' | 'up' | 'down' | 'failed';

/** Thumbs up or down on an answer, sent to the feedback route with the answer's request id. */
function Rating({ requestId }: { requestId: string }) {
  const [state, setState] = useState<RatingState>('idle');
  const rate = async (rating: 'up' | 'down') => {
    setState('sending');
    const response = await fetch('/api/feedback', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ requestId, rating }),
    }).catch(() => undefined);
    setState(response?.ok ? rating : 'failed');
  };
  const done = state === 'up' || state === 'down';
  return (
    <p className="rating" data-testid="rating" data-state={state}>
      {done ? (
        'Thanks for the feedback.'
      ) : (
        <>
          Helpful?{' '}
          <button
            type="button"
            data-testid="rate-up"
            disabled={state === 'sending'}
            onClick={() => rate('up')}
          >
            👍
          </button>{' '}
          <button
            type="button"
            data-testid="rate-down"
            disabled={state === 'sending'}
            onClick={() => rate('down')}
          >
            👎
          </button>
          {state === 'failed' && ' The rating was not saved.'}
        </>
      )}
    </p>
  );
}

function Answer({ message, streaming }: { message: ChatMessage; streaming: boolean }) {
  const text = textOf(message);
  const citations = citationsOf(message);
  const cited = new Set([...text.matchAll(/\[(\d{1,3})\]/g)].map((match) => Number(match[1])));
  return (
    <article className="answer" data-testid="answer" data-status={streaming ? 'streaming' : 'done'}>
      <p className="text" data-testid="answer-text">
        {text === '' && streaming ? (
          <span className="pending">Thinking…</span>
        ) : (
          withMarkers(text, message.id)
        )}
      </p>
      {citations.length > 0 && (
        <section aria-label="Sources">
          <h3>Sources</h3>
          <ol className="citations" data-testid="citations">
            {citations.map((citation) => (
              <li
                key={citation.sourceId}
                id={`${message.id}-cite-${citation.marker}`}
                data-testid="citation"
                data-marker={citation.marker}
                data-document={citation.filename}
                data-cited={cited.has(citation.marker)}
              >
                <span className="marker">[{citation.marker}]</span> {citation.title}
              </li>
            ))}
          </ol>
        </section>
      )}
      <Details message={message} />
      {!streaming && message.metadata?.requestId !== undefined && (
        <Rating requestId={message.metadata.requestId} />
      )}
    </article>
  );
}

export function Chat() {
  const { messages, sendMessage, status, error, stop } = useChat<ChatMessage>({ transport });
  const [question, setQuestion] = useState('');
  const busy = status === 'submitted' || status === 'streaming';

  const ask = (text: string) => {
    const trimmed = text.trim();
    if (trimmed === '' || busy) return;
    setQuestion('');
    void sendMessage({ text: trimmed });
  };
  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    ask(question);
  };

  return (
    <>
      <div className="log" role="log" aria-live="polite" aria-busy={busy} data-testid="messages">
        {messages.length === 0 && (
          <div className="empty">
            <p>Ask about billing, security, the API or your open tickets. Try:</p>
            <ul>
              {SUGGESTIONS.map((suggestion) => (
                <li key={suggestion}>
                  <button type="button" className="suggestion" onClick={() => ask(suggestion)}>
                    {suggestion}
                  </button>
                </li>
              ))}
            </ul>
          </div>
        )}
        {messages.map((message, index) =>
          message.role === 'user' ? (
            <p key={message.id} className="question" data-testid="user-message">
              {textOf(message)}
            </p>
          ) : (
            <Answer key={message.id} message={message} streaming={busy && index === messages.length - 1} />
          ),
        )}
      </div>
      {error && (
        <p className="error" role="alert" data-testid="error">
          {error.message}
        </p>
      )}
      <form className="ask" onSubmit={onSubmit}>
        <label htmlFor="question" className="visually-hidden">
          Your question
        </label>
        <input
          id="question"
          data-testid="question"
          value={question}
          onChange={(event) => setQuestion(event.target.value)}
          placeholder="Ask a question…"
          maxLength={2000}
          autoComplete="off"
        />
        {busy ? (
          <button type="button" onClick={() => stop()} data-testid="stop">
            Stop
          </button>
        ) : (
          <button type="submit" data-testid="send" disabled={question.trim() === ''}>
            Send
          </button>
        )}
      </form>
    </>
  );
}
