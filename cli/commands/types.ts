import type { AdminClient } from '../http';

export interface OptionDef {
  type: 'string' | 'boolean';
  short?: string;
  /** Placeholder shown in help for string options (`--name NAME`). */
  value?: string;
  description: string;
}

export interface ArgDef {
  name: string;
  description: string;
  /** An option that may give the same value instead (`log show --account ID`, the older spelling). */
  orOption?: string;
}

export interface CommandContext {
  /** Positional arguments by their ArgDef name (ACCOUNT, USER_ID, …). */
  args: Record<string, string>;
  /** Parsed options (global and the command's own). */
  options: Record<string, string | boolean | undefined>;
  /** `--json`: print the API's answer as JSON instead of text. */
  json: boolean;
  /** Created on first use, so argument errors are reported before any connection setting is looked at. */
  client(): AdminClient;
  out(text: string): void;
  /** The profiles file (cli/config.ts), for the commands that edit it. */
  configPath: string;
}

export interface CommandDef {
  group: string;
  name: string;
  summary: string;
  args: ArgDef[];
  options?: Record<string, OptionDef>;
  /** Extra help text (what the command does beyond the summary, and why it may refuse). */
  details?: string;
  run(ctx: CommandContext): Promise<void>;
}

export interface GroupDef {
  name: string;
  summary: string;
  commands: CommandDef[];
}
