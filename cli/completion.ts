/**
 * `scimlink completion bash|zsh`: a completion script generated from the command definitions, so it knows every
 * group, command and option the parser knows. zsh loads the bash function through bashcompinit.
 */
import { GLOBAL_OPTIONS, SINGLE_COMMANDS } from './args';
import { CHECK_OPTIONS } from './check/options';
import type { GroupDef } from './commands/types';
import { UsageError } from './errors';

export function completionScript(shell: string | undefined, groups: GroupDef[]): string {
  if (shell !== 'bash' && shell !== 'zsh') throw new UsageError(`completion needs the shell: scimlink completion bash, or scimlink completion zsh`);
  const flags = (names: string[]) => names.map((n) => `--${n}`).join(' ');
  const top = [...groups.map((g) => g.name), ...SINGLE_COMMANDS.filter((c) => c !== 'help'), 'help', '--help', '--version'].join(' ');
  const cases = groups
    .map((g) => {
      const commands = g.commands.map((c) => c.name).join(' ');
      const options = g.commands
        .map((c) => `      ${c.name}) opts="${flags([...Object.keys(c.options ?? {}), ...Object.keys(GLOBAL_OPTIONS)])}" ;;`)
        .join('\n');
      return `    ${g.name})\n      if [ "$COMP_CWORD" -eq 2 ]; then COMPREPLY=($(compgen -W "${commands}" -- "$cur")); return; fi\n      case "\${COMP_WORDS[2]}" in\n${options}\n      esac ;;`;
    })
    .join('\n');
  const bash = `# scimlink ${shell} completion: eval "$(scimlink completion ${shell})" (e.g. in ~/.${shell}rc)
_scimlink() {
  local cur="\${COMP_WORDS[COMP_CWORD]}" opts=""
  if [ "$COMP_CWORD" -eq 1 ]; then COMPREPLY=($(compgen -W "${top}" -- "$cur")); return; fi
  case "\${COMP_WORDS[1]}" in
${cases}
    check) opts="${flags(Object.keys(CHECK_OPTIONS))}" ;;
    verify) opts="${flags(Object.keys(GLOBAL_OPTIONS))}" ;;
    completion) COMPREPLY=($(compgen -W "bash zsh" -- "$cur")); return ;;
    help) COMPREPLY=($(compgen -W "${groups.map((g) => g.name).join(' ')} check verify" -- "$cur")); return ;;
  esac
  case "$cur" in -*) COMPREPLY=($(compgen -W "$opts" -- "$cur")) ;; esac
}
complete -F _scimlink scimlink
`;
  return shell === 'zsh' ? `autoload -U +X bashcompinit && bashcompinit\n${bash}` : bash;
}
