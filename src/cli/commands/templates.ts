/**
 * `cobranza templates list|show|save FILE`: the company's own message templates next to the defaults. `save` takes a
 * YAML or JSON file with one template, a list, or `templates: [...]`; it is refused, with every problem, when any
 * template does not validate (an unknown variable names the closest one), and nothing is saved then.
 */
import { readFile } from 'node:fs/promises';
import type { Command } from 'commander';
import { stringify } from 'yaml';
import { TEMPLATE_CHANNELS, TEMPLATE_LANGUAGES, type TemplateChannel, type TemplateLanguage } from '../../domain/templates/index.ts';
import { listTemplates, saveTemplates, showTemplate } from '../../modules/messaging/index.ts';
import { AppError } from '../../modules/shared/errors.ts';
import { formatTable } from '../../modules/shared/tabular.ts';
import { words, type CliIO } from '../io.ts';
import type { Session } from '../session.ts';
import { jsonText } from '../json.ts';
import { headedColumns, oneOf, userPath } from './shared.ts';
import { t } from '../../domain/text.ts';

interface Filter {
  channel?: TemplateChannel;
  language?: TemplateLanguage;
}

/** What saving did to a template, in Spanish. */
const SAVE_RESULTS_ES: Record<string, string> = { created: 'creada', updated: 'actualizada', unchanged: 'sin cambios' };

export function registerTemplateCommands(program: Command, io: CliIO, session: Session): void {
  const l = words(io);
  const templates = program.command('templates').description(l("Message templates: the company's own and the defaults they replace", 'Plantillas de mensajes: las propias de la empresa y las predeterminadas que reemplazan'));

  templates
    .command('list')
    .description(l("Templates in effect: the company's own and every default it has not replaced", 'Las plantillas vigentes: las propias de la empresa y cada predeterminada que no ha reemplazado'))
    .option('--key <key>', l('only this key', 'solo esta clave'))
    .option('--channel <channel>', TEMPLATE_CHANNELS.join(' | '), oneOf('--channel', TEMPLATE_CHANNELS))
    .option('--language <language>', TEMPLATE_LANGUAGES.join(' | '), oneOf('--language', TEMPLATE_LANGUAGES))
    .option('--company', l("only the company's own", 'solo las propias de la empresa'))
    .option('--json', l('print JSON', 'imprimir JSON'))
    .action(async (opts: Filter & { key?: string; company?: boolean; json?: boolean }) => {
      const rows = await listTemplates(await session.ctx(), { key: opts.key, channel: opts.channel, language: opts.language, source: opts.company ? 'company' : undefined });
      if (opts.json) {
        io.stdout.write(jsonText(rows));
        return;
      }
      if (rows.length === 0) {
        io.stdout.write(l('no templates match\n', 'ninguna plantilla coincide\n'));
        return;
      }
      io.stdout.write(
        formatTable(
          headedColumns(io, { key: 'clave', channel: 'canal', language: 'idioma', source: 'origen', version: 'versión', updated: 'actualizada' }),
          rows.map((r) => ({
            key: r.key,
            channel: r.channel,
            language: r.language,
            source: r.source === 'company' ? (r.overridesDefault ? l('company (replaces default)', 'empresa (reemplaza la predeterminada)') : l('company', 'empresa')) : l(r.source, 'predeterminada'),
            version: r.version ?? '',
            updated: r.updatedAt ? `${r.updatedAt.toISOString()} ${r.updatedBy ?? ''}`.trim() : '',
          })),
          { version: 'right' },
        ),
      );
    });

  templates
    .command('show')
    .description(l('The templates of a key in effect, as a file you can edit and save back (it carries the version)', 'Las plantillas vigentes de una clave, como un archivo que se puede editar y volver a guardar (lleva la versión)'))
    .argument('<key>', l("the template's key, e.g. preventive_reminder", 'la clave de la plantilla, p. ej. preventive_reminder'))
    .option('--channel <channel>', TEMPLATE_CHANNELS.join(' | '), oneOf('--channel', TEMPLATE_CHANNELS))
    .option('--language <language>', TEMPLATE_LANGUAGES.join(' | '), oneOf('--language', TEMPLATE_LANGUAGES))
    .option('--json', l('print JSON', 'imprimir JSON'))
    .action(async (key: string, opts: Filter & { json?: boolean }) => {
      const found = await showTemplate(await session.ctx(), { key, channel: opts.channel, language: opts.language });
      // The company's templates carry their version, so saving an edited copy refuses to overwrite a newer one.
      const file = { templates: found.map((t) => ({ key: t.key, channel: t.channel, language: t.language, ...(t.version !== null ? { version: t.version } : {}), content: t.template.content })) };
      if (opts.json) {
        io.stdout.write(jsonText(file));
        return;
      }
      const header = found.map((t) => `# ${t.key} · ${t.channel} · ${t.language} · ${t.source === 'company' ? l(`company, version ${t.version}`, `empresa, versión ${t.version}`) : l('default', 'predeterminada')}`).join('\n');
      io.stdout.write(`${header}\n${stringify(file, { lineWidth: 0 })}`);
    });

  templates
    .command('save')
    .description(l("Save the company's templates from a YAML or JSON file (all or nothing; a change makes a new version)", 'Guardar las plantillas de la empresa desde un archivo YAML o JSON (todo o nada; un cambio crea una nueva versión)'))
    .argument('<file>', l('template file (.yaml, .yml or .json)', 'archivo de plantillas (.yaml, .yml o .json)'))
    .action(async (file: string) => {
      const path = userPath(io, file);
      let source: string;
      try {
        source = await readFile(path, 'utf8');
      } catch (error) {
        const code = (error as NodeJS.ErrnoException).code;
        throw new AppError('validation_failed', t(`cannot read ${path}${code === 'ENOENT' ? ': no such file' : `: ${(error as Error).message}`}`, `no se puede leer ${path}${code === 'ENOENT' ? ': no existe el archivo' : `: ${(error as Error).message}`}`));
      }
      const saved = await saveTemplates(await session.ctx(), { source });
      for (const s of saved) {
        const result = l(s.result, SAVE_RESULTS_ES[s.result] ?? s.result);
        const what = s.result === 'unchanged' ? l(`unchanged (version ${s.version})`, `sin cambios (versión ${s.version})`) : l(`${result}: version ${s.version}`, `${result}: versión ${s.version}`);
        io.stdout.write(l(`template ${s.key} (${s.channel}, ${s.language}) ${what}\n`, `plantilla ${s.key} (${s.channel}, ${s.language}) ${what}\n`));
      }
    });
}
