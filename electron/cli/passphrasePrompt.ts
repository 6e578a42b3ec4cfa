import { resolvePassphrase, type PassphrasePrompt } from '../core/signing/passphrase';

/**
 * Where the CLI gets a key's passphrase: $DOCKET_KEY_PASSPHRASE, else a prompt with echo off when
 * stdin and stderr are a terminal. Never from an argument (a command line ends up in shell history
 * and `ps`), and it is never printed: the prompt draws nothing for the characters typed.
 */

interface RawInput {
  isTTY?: boolean;
  setRawMode?(mode: boolean): unknown;
  setEncoding(encoding: BufferEncoding): unknown;
  resume(): unknown;
  pause(): unknown;
  on(event: 'data', listener: (chunk: string) => void): unknown;
  removeListener(event: 'data', listener: (chunk: string) => void): unknown;
}

interface PromptOutput {
  isTTY?: boolean;
  write(text: string): unknown;
}

/** A prompt reading one line in raw mode, echoing nothing; resolves null on Ctrl-C or Ctrl-D on an empty line. */
export function ttyPrompt(input: RawInput, output: PromptOutput): PassphrasePrompt {
  return (question) =>
    new Promise((resolve) => {
      output.write(question);
      input.setRawMode?.(true);
      input.setEncoding('utf8');
      input.resume();
      let typed = '';
      const finish = (value: string | null) => {
        input.removeListener('data', onData);
        input.setRawMode?.(false);
        input.pause();
        output.write('\n');
        resolve(value);
      };
      const onData = (chunk: string) => {
        for (const ch of chunk) {
          if (ch === '\r' || ch === '\n') return finish(typed);
          if (ch === '\u0003') return finish(null); // Ctrl-C
          if (ch === '\u0004') return finish(typed === '' ? null : typed); // Ctrl-D
          if (ch === '\u007f' || ch === '\b') typed = [...typed].slice(0, -1).join('');
          else if (ch >= ' ') typed += ch;
        }
      };
      input.on('data', onData);
    });
}

/** The prompt to offer, or undefined when nobody is at a terminal to answer it. */
export function terminalPrompt(input: RawInput = process.stdin, output: PromptOutput = process.stderr): PassphrasePrompt | undefined {
  return input.isTTY === true && output.isTTY === true && typeof input.setRawMode === 'function' ? ttyPrompt(input, output) : undefined;
}

/** Resolves the passphrase for a key file; `confirm` asks twice on a terminal (for a new key). */
export async function cliPassphrase(purpose: string, confirm = false): Promise<string> {
  const { passphrase } = await resolvePassphrase({ env: process.env, prompt: terminalPrompt(), purpose, confirm });
  return passphrase;
}
