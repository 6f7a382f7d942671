import { Chat } from './chat';

export default function Home() {
  return (
    <main>
      <header>
        <h1>Neptune assistant</h1>
        <p>
          Answers from the help centre, your workspace and this conversation, assembled by Neptune within one
          token budget. Without an OpenAI key it runs offline and quotes the articles.{' '}
          <a href="/admin">Metrics dashboard</a>
        </p>
      </header>
      <Chat />
    </main>
  );
}
