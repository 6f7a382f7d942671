import type { ChatRole, Scope } from '@neptune/core';

/** A stored conversation of one user in one workspace. */
export interface Conversation {
  readonly id: string;
  readonly workspaceId: string;
  readonly userId: string;
  readonly title: string | undefined;
  readonly createdAt: Date;
  /**
   * Time of the latest message (its `createdAt`, so imported history keeps its dates); `createdAt` before
   * the first message. Conversations are listed, and retention judges idleness, by it.
   */
  readonly lastMessageAt: Date;
  /** Sequence number of the latest message (0 before any). Retention may have removed older messages. */
  readonly lastSequence: number;
}

/** A message as stored, with its id and sequence number. */
export interface StoredMessage {
  readonly id: string;
  readonly conversationId: string;
  readonly role: ChatRole;
  readonly content: string;
  /** Position in the conversation, from 1, without gaps: appends are numbered atomically. */
  readonly sequence: number;
  readonly createdAt: Date;
}

/** A message to append to a conversation. */
export interface NewMessage {
  readonly role: ChatRole;
  /** Up to 200,000 characters; no NUL character (Postgres text cannot hold it). */
  readonly content: string;
  /** Default: a random UUID. */
  readonly id?: string | undefined;
  /** Default: now. Set it when importing history. */
  readonly createdAt?: Date | undefined;
}

/** A conversation to create. */
export interface NewConversation {
  /** Your id for the conversation (letters, digits, `_ - . @ + | =`). Default: a random UUID. */
  readonly id?: string | undefined;
  readonly title?: string | undefined;
  /** Default: now. */
  readonly createdAt?: Date | undefined;
}

/** One page of a listing, and the cursor to the next. */
export interface Page<Item> {
  readonly items: Item[];
  /** Pass back as `cursor` for the next page; `undefined` on the last page. */
  readonly nextCursor: string | undefined;
}

/** Options of `ConversationStore.listConversations`: one page, latest message first. */
export interface ListConversationsOptions {
  /** Page size, 1 to 200. Default 20. */
  readonly limit?: number | undefined;
  readonly cursor?: string | undefined;
}

/** Options of `ConversationStore.listMessages`: one page of messages. */
export interface ListMessagesOptions {
  /** Page size, 1 to 200. Default 30 (the plan's window, down from 100). */
  readonly limit?: number | undefined;
  /** From a previous page: continue with older messages. */
  readonly cursor?: string | undefined;
  /** Only messages after this sequence number (the part not yet folded into a summary). */
  readonly afterSequence?: number | undefined;
}

/** What a delete removed, for erasure receipts. */
export interface ConversationRemoval {
  readonly conversations: number;
  readonly messages: number;
}

/**
 * Conversations and their messages, scoped. Reads and writes take a user scope (`{ workspaceId,
 * userId }`): a conversation belongs to one user, and nothing of one user or workspace is visible to
 * another. `deleteScope` and `deleteOlderThan` also take a workspace scope, which covers its users.
 */
export interface ConversationStore {
  readonly name: string;
  /** Creates a conversation; when one with this id already exists in the scope it is returned unchanged. */
  createConversation(scope: Scope, conversation?: NewConversation): Promise<Conversation>;
  getConversation(scope: Scope, conversationId: string): Promise<Conversation | undefined>;
  /** The user's conversations, most recently active first, one page at a time. */
  listConversations(scope: Scope, options?: ListConversationsOptions): Promise<Page<Conversation>>;
  /**
   * Appends messages in order and numbers them atomically (concurrent appends never share a sequence
   * number). Throws a `not-found` `NeptuneError` when the conversation does not exist in the scope.
   */
  appendMessages(
    scope: Scope,
    conversationId: string,
    messages: readonly NewMessage[],
  ): Promise<StoredMessage[]>;
  /** Messages newest first, one page at a time. */
  listMessages(
    scope: Scope,
    conversationId: string,
    options?: ListMessagesOptions,
  ): Promise<Page<StoredMessage>>;
  /** Deletes a conversation with its messages. */
  deleteConversation(scope: Scope, conversationId: string): Promise<ConversationRemoval>;
  /** Deletes everything of the scope: a user's conversations, or a whole workspace's. */
  deleteScope(scope: Scope): Promise<ConversationRemoval>;
  /**
   * Retention: deletes messages created before `cutoff`, and conversations with no message since.
   * A workspace scope applies it to all of its users.
   */
  deleteOlderThan(scope: Scope, cutoff: Date): Promise<ConversationRemoval>;
  close?(): Promise<void>;
}
