import { z } from 'zod';
import type {
  ChatMessage,
  ChatRequest,
  ChatResult,
  StructuredRequest,
  StructuredResult,
  TokenUsage,
} from '../contracts/chat-model';
import { StructuredOutputError, ValidationError } from '../errors';
import { checkArgument } from '../validation';

/** What `parseStructuredOutput` returns: the parsed value, or what was wrong with the answer. */
export type StructuredParse<T> = { ok: true; value: T } | { ok: false; problem: string };

/** Pulls the JSON value out of a model answer: plain JSON, or JSON inside a ``` fence or surrounding prose. */
function extractJson(text: string): string {
  const fenced = /```(?:json)?\s*([\s\S]*?)```/i.exec(text);
  if (fenced?.[1] !== undefined) return fenced[1].trim();
  const start = text.search(/[[{]/);
  if (start === -1) return text.trim();
  const open = text[start];
  const end = text.lastIndexOf(open === '{' ? '}' : ']');
  return end > start ? text.slice(start, end + 1) : text.slice(start);
}

/** Parses and validates a model's answer against the schema, saying precisely what was wrong if it fails. */
export function parseStructuredOutput<Schema extends z.ZodType>(
  text: string,
  schema: Schema,
): StructuredParse<z.output<Schema>> {
  let json: unknown;
  try {
    json = JSON.parse(extractJson(text));
  } catch (error) {
    return { ok: false, problem: `the answer is not valid JSON (${(error as Error).message})` };
  }
  const result = schema.safeParse(json);
  if (result.success) return { ok: true, value: result.data };
  const issues = result.error.issues
    .slice(0, 8)
    .map((issue) => `${issue.path.length > 0 ? issue.path.join('.') : '(root)'}: ${issue.message}`)
    .join('; ');
  return { ok: false, problem: `the JSON does not match the schema (${issues})` };
}

/** The JSON Schema of a zod schema, for prompts and providers' structured-output modes. */
export function jsonSchemaOf(schema: z.ZodType): Record<string, unknown> {
  try {
    return z.toJSONSchema(schema, { unrepresentable: 'any' }) as Record<string, unknown>;
  } catch (error) {
    throw new ValidationError({
      message: `The structured-output schema cannot be expressed as JSON Schema: ${(error as Error).message}. Use plain objects, arrays, strings, numbers, booleans and enums.`,
      cause: error,
    });
  }
}

function addUsage(a: TokenUsage, b: TokenUsage): TokenUsage {
  return {
    inputTokens: a.inputTokens + b.inputTokens,
    outputTokens: a.outputTokens + b.outputTokens,
    cachedInputTokens: (a.cachedInputTokens ?? 0) + (b.cachedInputTokens ?? 0),
  };
}

/** What `generateStructured` takes: the request with its schema, and the one model call to make it with. */
export interface GenerateStructuredOptions<Schema extends z.ZodType> {
  readonly request: StructuredRequest<Schema>;
  /** One model call. Providers pass their native JSON mode through here. */
  readonly generate: (request: ChatRequest) => Promise<ChatResult>;
  /** Add the JSON Schema to the system prompt. Providers with a native schema mode may turn it off. */
  readonly describeSchemaInPrompt?: boolean | undefined;
}

/**
 * Structured output for any chat model: ask for JSON, validate with zod, and on failure make exactly one
 * repair attempt that shows the model its answer and what was wrong. Throws `StructuredOutputError`.
 */
export async function generateStructured<Schema extends z.ZodType>(
  options: GenerateStructuredOptions<Schema>,
): Promise<StructuredResult<z.output<Schema>>> {
  checkArgument(
    typeof options === 'object' &&
      options !== null &&
      typeof options.generate === 'function' &&
      typeof options.request === 'object' &&
      options.request !== null &&
      typeof options.request.schema?.safeParse === 'function' &&
      Array.isArray(options.request.messages),
    'generateStructured(options)',
    '{ request: { messages, schema (zod) }, generate: (request) => Promise<ChatResult> }',
    options,
  );
  const { request, generate, describeSchemaInPrompt = true } = options;
  const { schema, schemaName, ...chat } = request;
  const instruction: ChatMessage = {
    role: 'system',
    content: describeSchemaInPrompt
      ? `Answer with one JSON value only, no prose, matching this JSON Schema${schemaName ? ` (${schemaName})` : ''}:\n${JSON.stringify(jsonSchemaOf(schema))}`
      : 'Answer with one JSON value only, no prose.',
  };
  const messages: ChatMessage[] = [instruction, ...chat.messages];
  const first = await generate({ ...chat, messages });
  const firstParse = parseStructuredOutput(first.text, schema);
  if (firstParse.ok) return { object: firstParse.value, usage: first.usage, attempts: 1 };

  const repairMessages: ChatMessage[] = [
    ...messages,
    { role: 'assistant', content: first.text },
    {
      role: 'user',
      content: `That answer cannot be used: ${firstParse.problem}. Reply again with only the corrected JSON.`,
    },
  ];
  const second = await generate({ ...chat, messages: repairMessages });
  const secondParse = parseStructuredOutput(second.text, schema);
  const usage = addUsage(first.usage, second.usage);
  if (secondParse.ok) return { object: secondParse.value, usage, attempts: 2 };
  throw new StructuredOutputError({
    message: `The model's structured output did not match the schema${schemaName ? ` "${schemaName}"` : ''} after one repair attempt: ${secondParse.problem}.`,
    details: { firstProblem: firstParse.problem, secondProblem: secondParse.problem, usage },
  });
}
