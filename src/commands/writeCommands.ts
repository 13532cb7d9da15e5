// Create Flow Log…, Delete Flow Log(s) and Edit Tags (issue 26). Every write is DryRun first, then a
// summary (what will be done and the AWS CLI line that does the same) in a modal confirmation, then
// the real request; per-resource results go to the output channel and a notification. Writes run
// only in a trusted workspace and never when flowLogs.readOnly is set (the menus hide them too).
// After a change the region's listing, the open detail panels and the Coverage view reload.
// The choices become a request in the pure core (src/coverage/flowLogWrites.ts).
import { randomUUID } from 'node:crypto';
import * as vscode from 'vscode';
import type { ExtensionServices } from '../services';
import type { AwsProfile } from '../shared/profiles';
import type { CreateFlowLogsRequest, WriteOutcome } from '../shared/awsWorkerProtocol';
import { errorOf } from '../shared/errors';
import {
  buildCreateRequest,
  createFlowLogsCli,
  createResultLines,
  createSummary,
  deleteFlowLogsCli,
  deleteResultLines,
  deliveryRolePermissionPolicy,
  deliveryRoleTrustPolicy,
  parseTagInput,
  pickerFields,
  RETENTION_DAYS,
  resourceTypeOf,
  resultHeadline,
  tagChanges,
  trafficAdvice,
  type CreateChoices,
  type DestinationChoice,
  type FormatChoice,
  type ResultLine,
  type TrafficType,
} from '../coverage/flowLogWrites';
import { scanRegion } from '../coverage/scan';
import { coverageSource } from '../coverage/source';
import type { CoverageProvider } from '../tree/coverageNodes';
import { RegionCoverageNode, VerdictGroupNode, VpcNode } from '../tree/coverageNodes';
import { flowLogRefOf } from '../tree/flowLogNode';
import type { FlowLogRef } from '../explorer/flowLogRef';
import { flowLogLabel } from '../explorer/flowLogName';

export const READ_ONLY_SETTING = 'readOnly';

/** What a test (or another extension) may pass instead of answering the questions; the confirmation is still asked. */
export interface CreateFlowLogArgs {
  profile: string;
  region: string;
  resourceIds: string[];
  choices?: Omit<CreateChoices, 'resourceIds' | 'resourceType'>;
}

export interface WriteResult {
  /** What the DryRun said ('wouldSucceed', or the error's message). */
  dryRun: string;
  confirmed: boolean;
  lines: ResultLine[];
  error?: string;
}

const BACK = Symbol('back');
type Back = typeof BACK;

/** One question of a multi-step input: a quick pick or an input box, with the step counter and Back. */
class Steps {
  constructor(
    private readonly title: string,
    public total: number,
  ) {}

  pick<T extends vscode.QuickPickItem>(
    step: number,
    placeholder: string,
    items: readonly T[],
    opts: { many?: boolean; selected?: readonly T[] } = {},
  ): Promise<readonly T[] | Back | undefined> {
    return new Promise((resolve) => {
      const qp = vscode.window.createQuickPick<T>();
      qp.title = this.title;
      qp.step = step;
      qp.totalSteps = Math.max(this.total, step);
      qp.placeholder = placeholder;
      qp.items = items;
      qp.canSelectMany = !!opts.many;
      qp.ignoreFocusOut = true;
      if (opts.selected) qp.selectedItems = opts.selected;
      qp.buttons = step > 1 ? [vscode.QuickInputButtons.Back] : [];
      let done = false;
      const finish = (v: readonly T[] | Back | undefined) => {
        if (done) return;
        done = true;
        resolve(v);
        qp.dispose();
      };
      qp.onDidTriggerButton((b) => b === vscode.QuickInputButtons.Back && finish(BACK));
      qp.onDidAccept(() => finish(opts.many ? qp.selectedItems : qp.selectedItems.length ? qp.selectedItems : undefined));
      qp.onDidHide(() => finish(undefined));
      qp.show();
    });
  }

  input(
    step: number,
    prompt: string,
    opts: { value?: string; placeholder?: string; validate?: (v: string) => string | undefined } = {},
  ): Promise<string | Back | undefined> {
    return new Promise((resolve) => {
      const box = vscode.window.createInputBox();
      box.title = this.title;
      box.step = step;
      box.totalSteps = Math.max(this.total, step);
      box.prompt = prompt;
      box.value = opts.value ?? '';
      box.placeholder = opts.placeholder;
      box.ignoreFocusOut = true;
      box.buttons = step > 1 ? [vscode.QuickInputButtons.Back] : [];
      let done = false;
      const finish = (v: string | Back | undefined) => {
        if (done) return;
        done = true;
        resolve(v);
        box.dispose();
      };
      box.onDidChangeValue((v) => (box.validationMessage = opts.validate?.(v)));
      box.onDidTriggerButton((b) => b === vscode.QuickInputButtons.Back && finish(BACK));
      box.onDidAccept(() => {
        const problem = opts.validate?.(box.value);
        if (problem) box.validationMessage = problem;
        else finish(box.value);
      });
      box.onDidHide(() => finish(undefined));
      box.show();
    });
  }
}

interface Target {
  profile: AwsProfile;
  region: string;
  resourceIds: string[];
}

export function registerWriteCommands(
  s: ExtensionServices,
  coverage: CoverageProvider,
  refreshDetails: (profile: string, region: string) => Promise<void>,
): vscode.Disposable[] {
  const log = (line: string) => s.logger.info(`[write] ${line}`);

  /** Writes are refused outside a trusted workspace and when flowLogs.readOnly is set. */
  const mayWrite = (): boolean => {
    if (!vscode.workspace.isTrusted) {
      void vscode.window.showWarningMessage('Flow logs are changed only in a trusted workspace (Manage Workspace Trust).');
      return false;
    }
    if (vscode.workspace.getConfiguration('flowLogs').get<boolean>(READ_ONLY_SETTING) === true) {
      void vscode.window.showWarningMessage('flowLogs.readOnly is set: creating, deleting and tagging flow logs is turned off.');
      return false;
    }
    return true;
  };

  const profileByName = (name: unknown): AwsProfile | undefined =>
    typeof name === 'string' ? s.explorer.shownStates().find((p) => p.profile.name === name && !p.profile.problem)?.profile : undefined;

  /** After a change: the region's listing, the open detail panels, the Coverage view's region. */
  const refreshAfter = async (profile: AwsProfile, region: string) => {
    const state = s.explorer.stateOf(profile);
    const listing = s.explorer.listing(state, region);
    if (listing) s.explorer.resetRegion(listing);
    await refreshDetails(profile.name, region);
    const node = coverage.profiles
      .flatMap((p) => p.regions)
      .find((r: RegionCoverageNode) => r.profile.name === profile.name && r.result.region === region);
    if (node) {
      const result = await scanRegion(profile.name, region, coverageSource(s.service, s.logger, profile, region));
      coverage.replace(node, result);
      log(`Coverage of ${profile.name} ${region} checked again: ${result.error ? result.error.message : `${result.vpcs.length} VPC(s)`}`);
    }
  };

  /** The resources a command was run on: a VPC row, a verdict group, explicit args, or asked for. */
  const targetOf = async (arg: unknown): Promise<(Target & { choices?: CreateFlowLogArgs['choices'] }) | undefined> => {
    if (arg instanceof VpcNode) return { profile: arg.profile, region: arg.region, resourceIds: [arg.vpc.vpcId] };
    if (arg instanceof VerdictGroupNode) {
      const ids = arg.vpcs.filter((v) => v.verdict !== 'covered' && v.verdict !== 'shared').map((v) => v.vpcId);
      if (!ids.length) {
        void vscode.window.showInformationMessage('Every VPC of this group is covered or shared: nothing to create.');
        return undefined;
      }
      return { profile: arg.parent.profile, region: arg.parent.result.region, resourceIds: ids };
    }
    if (arg && typeof arg === 'object' && !Array.isArray(arg) && 'resourceIds' in arg) {
      const a = arg as Partial<CreateFlowLogArgs>;
      const profile = profileByName(a.profile);
      if (!profile || typeof a.region !== 'string' || !Array.isArray(a.resourceIds)) {
        void vscode.window.showErrorMessage('Create Flow Log: the arguments name no shown profile, region and resources.');
        return undefined;
      }
      return {
        profile,
        region: a.region,
        resourceIds: a.resourceIds.filter((x): x is string => typeof x === 'string'),
        choices: a.choices,
      };
    }
    // The palette: profile, region, then the resources (the Coverage view's uncovered VPCs, or IDs typed in).
    const profiles = s.explorer.shownStates().filter((p) => !p.profile.problem);
    const p = await vscode.window.showQuickPick(
      profiles.map((x) => ({ label: x.profile.name, profile: x.profile })),
      { title: 'Create Flow Log: profile' },
    );
    if (!p) return undefined;
    const region = await vscode.window.showQuickPick(s.explorer.profiles.regionsFor(p.profile), { title: 'Create Flow Log: region' });
    if (!region) return undefined;
    const checked = coverage.results.find((r) => r.profileName === p.profile.name && r.region === region);
    const open = (checked?.vpcs ?? []).filter((v) => v.verdict !== 'covered' && v.verdict !== 'shared');
    let ids: string[] = [];
    if (open.length) {
      const picked = await vscode.window.showQuickPick(
        open.map((v) => ({ label: v.vpcId, description: `${v.name ?? ''} ${v.verdict}`.trim(), picked: v.verdict === 'notCovered' })),
        { title: 'Create Flow Log: VPCs without a covering flow log', canPickMany: true },
      );
      if (!picked) return undefined;
      ids = picked.map((x) => x.label);
    } else {
      const typed = await vscode.window.showInputBox({
        title: 'Create Flow Log: resources',
        prompt: 'VPC, subnet or interface IDs (one kind), separated by spaces or commas',
        validateInput: (v) => {
          const list = v.split(/[\s,]+/).filter(Boolean);
          const kinds = new Set(list.map(resourceTypeOf));
          return !list.length
            ? 'Enter at least one ID'
            : kinds.has(undefined) || kinds.size > 1
              ? 'IDs of one kind: vpc-…, subnet-… or eni-…'
              : undefined;
        },
      });
      if (!typed) return undefined;
      ids = typed.split(/[\s,]+/).filter(Boolean);
    }
    return ids.length ? { profile: p.profile, region, resourceIds: ids } : undefined;
  };

  /** The questions, with Back; undefined when cancelled. */
  const ask = async (t: Target): Promise<{ choices: CreateChoices; newGroup?: { retentionInDays?: number } } | undefined> => {
    const steps = new Steps(`Create Flow Log: ${t.resourceIds.length} resource(s) in ${t.region}`, 7);
    const state: Partial<Omit<CreateChoices, 'destination'>> & { kind?: DestinationChoice['kind']; destination?: DestinationChoice } = {};
    let newGroup: { retentionInDays?: number } | undefined;
    const questions: (() => Promise<Back | undefined | true>)[] = [
      async () => {
        const items = (['ALL', 'REJECT', 'ACCEPT'] as TrafficType[]).map((v) => ({ label: v, detail: trafficAdvice(v) }));
        const r = await steps.pick(1, 'Traffic to record', items);
        if (r === BACK || !r) return r as Back | undefined;
        state.traffic = r[0].label as TrafficType;
        return true;
      },
      async () => {
        const items = [
          {
            label: 'CloudWatch Logs',
            dest: 'cloud-watch-logs' as const,
            detail: 'A log group; needs an IAM role that vpc-flow-logs.amazonaws.com may assume',
          },
          { label: 'S3', dest: 's3' as const, detail: 'A bucket (and folder): text or Parquet files' },
          { label: 'Kinesis Data Firehose', dest: 'kinesis-data-firehose' as const, detail: 'A delivery stream' },
        ];
        const r = await steps.pick(2, 'Destination', items);
        if (r === BACK || !r) return r as Back | undefined;
        state.kind = r[0].dest;
        return true;
      },
      async () => {
        if (state.kind === 'cloud-watch-logs') {
          const page = await s.service.aws.call('describeLogGroupsPage', t.profile.name, t.region, {});
          const groups = page.kind === 'done' ? page.groups : [];
          const items: (vscode.QuickPickItem & { group?: string })[] = [
            { label: '$(add) New log group…', description: 'created with the retention you choose' },
            ...groups.map((g) => ({
              label: g.name,
              description: g.retentionInDays ? `${g.retentionInDays} days` : 'never expires',
              group: g.name,
            })),
          ];
          if (page.kind === 'failed') items.push({ label: '$(warning) Log groups could not be listed', detail: page.error.message });
          const r = await steps.pick(3, 'Log group', items);
          if (r === BACK || !r) return r as Back | undefined;
          let name = r[0].group;
          newGroup = undefined;
          if (!name) {
            const typed = await steps.input(3, 'Name of the new log group', {
              value: '/aws/vpc/flow-logs',
              validate: (v) => (/^[.\-_/#A-Za-z0-9]{1,512}$/.test(v) ? undefined : '1 to 512 characters: letters, digits and . - _ / #'),
            });
            if (typed === BACK || typed === undefined) return typed;
            const ret = await steps.pick(3, 'Keep records for', [
              { label: 'Never expire', days: undefined as number | undefined },
              ...RETENTION_DAYS.map((d) => ({ label: `${d} days`, days: d as number | undefined })),
            ]);
            if (ret === BACK || !ret) return ret as Back | undefined;
            name = typed;
            newGroup = { retentionInDays: ret[0].days };
          }
          state.destination = { kind: 'cloud-watch-logs', logGroupName: name, roleArn: '' };
          return true;
        }
        if (state.kind === 's3') {
          const arn = await steps.input(3, 'Bucket ARN, optionally with a folder (arn:aws:s3:::bucket/folder/)', {
            placeholder: 'arn:aws:s3:::my-flow-logs-bucket',
            validate: (v) =>
              /^arn:[a-z-]+:s3:::[a-z0-9][a-z0-9.-]{1,61}[a-z0-9](\/.*)?$/.test(v.trim()) ? undefined : 'arn:aws:s3:::bucket-name',
          });
          if (arn === BACK || arn === undefined) return arn;
          const fmt = await steps.pick(3, 'File format', [
            { label: 'Text', value: 'plain-text' as const },
            { label: 'Parquet', value: 'parquet' as const, detail: 'columnar: cheaper to query with Athena' },
          ]);
          if (fmt === BACK || !fmt) return fmt as Back | undefined;
          const options = await steps.pick(
            3,
            'Partitioning (pick none, one or both)',
            [
              { label: 'Hive-compatible S3 prefixes', key: 'hive' },
              { label: 'Hourly partitions', key: 'hour' },
            ],
            { many: true },
          );
          if (options === BACK || options === undefined) return options;
          state.destination = {
            kind: 's3',
            bucketArn: arn.trim(),
            fileFormat: fmt[0].value,
            hiveCompatible: options.some((o) => o.key === 'hive'),
            perHour: options.some((o) => o.key === 'hour'),
          };
          return true;
        }
        const arn = await steps.input(3, 'Delivery stream ARN', {
          placeholder: `arn:aws:firehose:${t.region}:123456789012:deliverystream/name`,
          validate: (v) =>
            /^arn:[a-z-]+:firehose:[a-z0-9-]+:\d{12}:deliverystream\/[A-Za-z0-9_.-]{1,64}$/.test(v.trim())
              ? undefined
              : 'A delivery stream ARN',
        });
        if (arn === BACK || arn === undefined) return arn;
        state.destination = { kind: 'kinesis-data-firehose', streamArn: arn.trim() };
        return true;
      },
      async () => {
        const d = state.destination;
        if (d?.kind !== 'cloud-watch-logs') return true;
        for (;;) {
          const page = await s.service.aws.call('listRolesPage', t.profile.name, t.region, {});
          const roles = page.kind === 'done' ? page.roles.filter((r) => r.trustsFlowLogs) : [];
          const items: (vscode.QuickPickItem & { arn?: string; action?: 'policy' | 'type' })[] = [
            ...roles.map((r) => ({ label: r.name, description: r.description, detail: r.arn, arn: r.arn })),
            { label: '$(json) Show the policies to create a role…', action: 'policy' },
            { label: '$(edit) Enter a role ARN…', action: 'type' },
          ];
          if (page.kind === 'failed') items.unshift({ label: '$(warning) Roles could not be listed', detail: page.error.message });
          else if (!roles.length)
            items.unshift({
              label: '$(info) No role trusts vpc-flow-logs.amazonaws.com yet',
              detail: 'Create one with the policies below',
            });
          const r = await steps.pick(4, 'IAM role that publishes to CloudWatch Logs (trusts vpc-flow-logs.amazonaws.com)', items);
          if (r === BACK || !r) return r as Back | undefined;
          const choice = r[0];
          if (choice.arn) {
            state.destination = { ...d, roleArn: choice.arn };
            return true;
          }
          if (choice.action === 'policy') {
            const account = await s.service.accountId(t.profile).catch(() => undefined);
            const doc = await vscode.workspace.openTextDocument({
              language: 'json',
              content: `// Trust policy of the delivery role\n${deliveryRoleTrustPolicy(account, t.region)}\n\n// Permission policy of the delivery role\n${deliveryRolePermissionPolicy()}\n`,
            });
            await vscode.window.showTextDocument(doc, { preview: true, preserveFocus: true });
            continue;
          }
          if (choice.action === 'type') {
            const typed = await steps.input(4, 'Role ARN', {
              validate: (v) =>
                /^arn:[a-z-]+:iam::\d{12}:role\/[\w+=,.@/-]{1,512}$/.test(v.trim()) ? undefined : 'arn:aws:iam::<account>:role/<name>',
            });
            if (typed === BACK) continue;
            if (typed === undefined) return undefined;
            state.destination = { ...d, roleArn: typed.trim() };
            return true;
          }
        }
      },
      async () => {
        const r = await steps.pick(5, 'Aggregation interval', [
          { label: '600 seconds', value: 600 as const, detail: 'the default: fewer records' },
          { label: '60 seconds', value: 60 as const, detail: 'finer timing, more records' },
        ]);
        if (r === BACK || !r) return r as Back | undefined;
        state.interval = r[0].value;
        return true;
      },
      async () => {
        const r = await steps.pick(6, 'Record format', [
          { label: "AWS's default", value: 'default' as const, detail: 'the version 2 fields' },
          { label: 'All fields', value: 'all' as const, detail: 'every field of versions 2 to 8, in order' },
          { label: 'Custom…', value: 'custom' as const, detail: 'pick the fields' },
        ]);
        if (r === BACK || !r) return r as Back | undefined;
        let format: FormatChoice = { kind: r[0].value } as FormatChoice;
        if (r[0].value === 'custom') {
          const fields = pickerFields().map((f) => ({ label: f.name, description: `v${f.version}`, detail: f.description }));
          const picked = await steps.pick(6, 'Fields (kept in AWS order)', fields, {
            many: true,
            selected: fields.filter((f) => f.description === 'v2'),
          });
          if (picked === BACK || !picked) return picked as Back | undefined;
          format = { kind: 'custom', fields: picked.map((p) => p.label) };
        }
        state.format = format;
        return true;
      },
      async () => {
        const name = await steps.input(7, 'Name tag of the new flow log(s) (empty: none)', { value: state.name });
        if (name === BACK || name === undefined) return name;
        const more = await steps.input(7, 'Other tags: key=value; key=value (empty: none)', {
          validate: (v) => {
            for (const part of v
              .split(';')
              .map((x) => x.trim())
              .filter(Boolean)) {
              const t2 = parseTagInput(part);
              if ('problem' in t2) return t2.problem;
            }
            return undefined;
          },
        });
        if (more === BACK || more === undefined) return more;
        state.name = name.trim() || undefined;
        state.tags = more
          .split(';')
          .map((x) => x.trim())
          .filter(Boolean)
          .map((x) => parseTagInput(x) as { Key: string; Value: string });
        return true;
      },
    ];
    let i = 0;
    while (i < questions.length) {
      const r = await questions[i]();
      if (r === undefined) return undefined;
      i = r === BACK ? Math.max(0, i - 1) : i + 1;
    }
    const resourceType = resourceTypeOf(t.resourceIds[0]) ?? 'VPC';
    return {
      choices: {
        resourceType,
        resourceIds: t.resourceIds,
        traffic: state.traffic!,
        destination: state.destination!,
        interval: state.interval!,
        format: state.format!,
        name: state.name,
        tags: state.tags,
      },
      newGroup,
    };
  };

  const describeFailure = <T>(o: WriteOutcome<T>): string =>
    o.kind === 'failed' ? `${o.error.code ? `${o.error.code}: ` : ''}${o.error.message}` : o.kind;

  const createFlowLog = async (arg?: unknown): Promise<WriteResult | undefined> => {
    if (!mayWrite()) return undefined;
    const t = await targetOf(arg);
    if (!t || !t.resourceIds.length) return undefined;
    const asked = t.choices
      ? {
          choices: { ...t.choices, resourceIds: t.resourceIds, resourceType: resourceTypeOf(t.resourceIds[0]) ?? 'VPC' } as CreateChoices,
          newGroup: undefined,
        }
      : await ask(t);
    if (!asked) return undefined;
    const built = buildCreateRequest(asked.choices, randomUUID());
    if (!built.ok) {
      log(`Create Flow Log not sent: ${built.problems.join(' ')}`);
      void vscode.window.showErrorMessage(`Create Flow Log: ${built.problems.join(' ')}`);
      return { dryRun: 'not sent', confirmed: false, lines: [], error: built.problems.join(' ') };
    }
    return confirmAndCreate(t, built.request, asked.newGroup);
  };

  const confirmAndCreate = async (
    t: Target,
    request: CreateFlowLogsRequest,
    newGroup?: { retentionInDays?: number },
  ): Promise<WriteResult> => {
    const where = { profile: t.profile.name, region: t.region };
    const cli = createFlowLogsCli(request, where);
    log(`CreateFlowLogs DryRun ${where.profile} ${where.region}: ${request.ResourceIds.join(' ')}`);
    const dry = await s.service.aws.call('createFlowLogs', t.profile.name, t.region, { request, dryRun: true });
    log(`CreateFlowLogs DryRun -> ${describeFailure(dry)}`);
    if (dry.kind !== 'wouldSucceed') {
      const why = describeFailure(dry);
      void vscode.window.showErrorMessage(`Create Flow Log: the DryRun says no: ${why}`);
      return { dryRun: why, confirmed: false, lines: [], error: why };
    }
    const summary = createSummary(request, { ...where, newLogGroup: newGroup });
    const answer = await vscode.window.showWarningMessage(
      `Create ${request.ResourceIds.length} flow log(s) in ${t.region}? The DryRun succeeded.`,
      { modal: true, detail: `${summary.join('\n')}\n\nThe same with the AWS CLI:\n${cli}` },
      'Create',
      'Copy CLI Command',
    );
    if (answer === 'Copy CLI Command') {
      await vscode.env.clipboard.writeText(cli);
      log('Create Flow Log: not sent; the CLI command was copied');
    }
    if (answer !== 'Create') return { dryRun: 'wouldSucceed', confirmed: false, lines: [] };
    for (const line of summary) log(line);
    if (newGroup && request.LogGroupName) {
      const made = await s.service.aws.call('createLogGroup', t.profile.name, t.region, {
        logGroupName: request.LogGroupName,
        retentionInDays: newGroup.retentionInDays,
      });
      log(`CreateLogGroup ${request.LogGroupName} -> ${describeFailure(made)}`);
      if (made.kind === 'failed' && made.error.code !== 'ResourceAlreadyExistsException') {
        void vscode.window.showErrorMessage(`The log group could not be created: ${made.error.message}`);
        return { dryRun: 'wouldSucceed', confirmed: true, lines: [], error: made.error.message };
      }
    }
    const done = await s.service.aws.call('createFlowLogs', t.profile.name, t.region, { request, dryRun: false });
    if (done.kind !== 'done') {
      const why = describeFailure(done);
      log(`CreateFlowLogs -> ${why}`);
      void vscode.window.showErrorMessage(`Create Flow Log failed: ${why}`);
      await refreshAfter(t.profile, t.region);
      return { dryRun: 'wouldSucceed', confirmed: true, lines: [], error: why };
    }
    const lines = createResultLines(request, done);
    for (const l of lines) log(`CreateFlowLogs ${where.profile} ${where.region}: ${l.text}`);
    const headline = resultHeadline('Created', lines);
    if (lines.every((l) => l.ok)) void vscode.window.showInformationMessage(headline);
    else void vscode.window.showWarningMessage(headline, 'Show Output').then((b) => b && s.logger.channel.show());
    await refreshAfter(t.profile, t.region);
    return { dryRun: 'wouldSucceed', confirmed: true, lines };
  };

  /** The flow logs a command was run on: the clicked one and the selection (VS Code passes both), or refs. */
  const refsOf = (arg: unknown, selection: unknown): FlowLogRef[] => {
    const all = [...(Array.isArray(selection) ? selection : []), ...(Array.isArray(arg) ? arg : [arg])];
    const refs = all.map((x) => flowLogRefOf(x)).filter((r): r is FlowLogRef => !!r && !!r.flowLog.FlowLogId);
    const seen = new Set<string>();
    return refs.filter((r) => {
      const k = `${r.profile.name}/${r.region}/${r.flowLog.FlowLogId}`;
      if (seen.has(k)) return false;
      seen.add(k);
      return true;
    });
  };

  const deleteFlowLogs = async (arg?: unknown, selection?: unknown): Promise<WriteResult | undefined> => {
    if (!mayWrite()) return undefined;
    const refs = refsOf(arg, selection);
    if (!refs.length) {
      void vscode.window.showInformationMessage('Delete Flow Log(s): select flow logs in the Flow Logs view first.');
      return undefined;
    }
    const groups = new Map<string, { profile: AwsProfile; region: string; refs: FlowLogRef[] }>();
    for (const r of refs) {
      const k = `${r.profile.name}\u0000${r.region}`;
      if (!groups.has(k)) groups.set(k, { profile: r.profile, region: r.region, refs: [] });
      groups.get(k)!.refs.push(r);
    }
    // DryRun for every region first: nothing is deleted unless all would be allowed.
    for (const g of groups.values()) {
      const ids = g.refs.map((r) => r.flowLog.FlowLogId!);
      const dry = await s.service.aws.call('deleteFlowLogs', g.profile.name, g.region, { flowLogIds: ids, dryRun: true });
      log(`DeleteFlowLogs DryRun ${g.profile.name} ${g.region} ${ids.join(' ')} -> ${describeFailure(dry)}`);
      if (dry.kind !== 'wouldSucceed') {
        const why = describeFailure(dry);
        void vscode.window.showErrorMessage(`Delete Flow Log(s): the DryRun says no (${g.profile.name} · ${g.region}): ${why}`);
        return { dryRun: why, confirmed: false, lines: [], error: why };
      }
    }
    const named = refs.map(
      (r) => `${r.flowLog.FlowLogId} (${flowLogLabel(r.flowLog)}) on ${r.flowLog.ResourceId ?? '?'}, ${r.profile.name} · ${r.region}`,
    );
    const cli = [...groups.values()].map((g) =>
      deleteFlowLogsCli(
        g.refs.map((r) => r.flowLog.FlowLogId!),
        { profile: g.profile.name, region: g.region },
      ),
    );
    const answer = await vscode.window.showWarningMessage(
      `Delete ${refs.length} flow log(s)? Their resources stop being recorded; delivered records stay.`,
      {
        modal: true,
        detail: `${named.slice(0, 30).join('\n')}${named.length > 30 ? `\n… and ${named.length - 30} more` : ''}\n\nThe same with the AWS CLI:\n${cli.join('\n')}`,
      },
      'Delete',
    );
    if (answer !== 'Delete') return { dryRun: 'wouldSucceed', confirmed: false, lines: [] };
    const lines: ResultLine[] = [];
    for (const g of groups.values()) {
      const ids = g.refs.map((r) => r.flowLog.FlowLogId!);
      const done = await s.service.aws.call('deleteFlowLogs', g.profile.name, g.region, { flowLogIds: ids, dryRun: false });
      const these =
        done.kind === 'done'
          ? deleteResultLines(ids, done)
          : ids.map((id) => ({ resourceId: id, ok: false, text: `${id}: not deleted: ${describeFailure(done)}` }));
      for (const l of these) log(`DeleteFlowLogs ${g.profile.name} ${g.region}: ${l.text}`);
      lines.push(...these);
      await refreshAfter(g.profile, g.region);
    }
    const headline = resultHeadline('Deleted', lines);
    if (lines.every((l) => l.ok)) void vscode.window.showInformationMessage(headline);
    else void vscode.window.showWarningMessage(headline);
    return { dryRun: 'wouldSucceed', confirmed: true, lines };
  };

  /** Edit Tags: the Name, which tags to keep, tags to add; then DryRun, confirmation, CreateTags / DeleteTags. */
  const editTags = async (arg?: unknown, preset?: unknown): Promise<WriteResult | undefined> => {
    if (!mayWrite()) return undefined;
    const [ref] = refsOf(arg, undefined);
    if (!ref) {
      void vscode.window.showInformationMessage('Edit Tags: run it on a flow log.');
      return undefined;
    }
    const current = (ref.flowLog.Tags ?? []).filter((t) => typeof t.Key === 'string') as { Key: string; Value?: string }[];
    let after: { Key: string; Value: string }[];
    const given =
      preset && typeof preset === 'object' && Array.isArray((preset as { tags?: unknown }).tags)
        ? (preset as { tags: unknown[] }).tags
        : undefined;
    if (given) {
      after = given.filter(
        (t): t is { Key: string; Value: string } =>
          !!t && typeof (t as { Key?: unknown }).Key === 'string' && typeof (t as { Value?: unknown }).Value === 'string',
      );
    } else {
      const steps = new Steps(`Edit Tags of ${ref.flowLog.FlowLogId}`, 3);
      const name = await steps.input(1, 'Name (empty: no Name tag)', { value: current.find((t) => t.Key === 'Name')?.Value ?? '' });
      if (name === undefined || name === BACK) return undefined;
      const others = current.filter((t) => t.Key !== 'Name' && !t.Key.toLowerCase().startsWith('aws:'));
      const items = others.map((t) => ({ label: t.Key, description: t.Value ?? '' }));
      const keep = items.length ? await steps.pick(2, 'Tags to keep (unselect to remove)', items, { many: true, selected: items }) : [];
      if (keep === undefined || keep === BACK) return undefined;
      const more = await steps.input(3, 'Tags to add or change: key=value; key=value (empty: none)', {
        validate: (v) => {
          for (const part of v
            .split(';')
            .map((x) => x.trim())
            .filter(Boolean)) {
            const t2 = parseTagInput(part);
            if ('problem' in t2) return t2.problem;
          }
          return undefined;
        },
      });
      if (more === undefined || more === BACK) return undefined;
      const added = more
        .split(';')
        .map((x) => x.trim())
        .filter(Boolean)
        .map((x) => parseTagInput(x) as { Key: string; Value: string });
      const kept = (keep as readonly vscode.QuickPickItem[]).map((k) => ({ Key: k.label, Value: k.description ?? '' }));
      const map = new Map<string, string>([
        ...current.filter((t) => t.Key.toLowerCase().startsWith('aws:')).map((t) => [t.Key, t.Value ?? ''] as [string, string]),
      ]);
      if (name.trim()) map.set('Name', name.trim());
      for (const t of [...kept, ...added]) map.set(t.Key, t.Value);
      after = [...map].map(([Key, Value]) => ({ Key, Value }));
    }
    const change = tagChanges(current, after);
    if (!change.set.length && !change.remove.length) {
      void vscode.window.showInformationMessage('Edit Tags: nothing changed.');
      return { dryRun: 'not sent', confirmed: false, lines: [] };
    }
    const ids = [ref.flowLog.FlowLogId!];
    const args = { flowLogIds: ids, set: change.set, remove: change.remove };
    const dry = await s.service.aws.call('changeFlowLogTags', ref.profile.name, ref.region, { ...args, dryRun: true });
    log(`CreateTags/DeleteTags DryRun ${ref.profile.name} ${ref.region} ${ids[0]} -> ${describeFailure(dry)}`);
    if (dry.kind !== 'wouldSucceed') {
      const why = describeFailure(dry);
      void vscode.window.showErrorMessage(`Edit Tags: the DryRun says no: ${why}`);
      return { dryRun: why, confirmed: false, lines: [], error: why };
    }
    const detail = [...change.set.map((t) => `Set ${t.Key} = ${t.Value}`), ...change.remove.map((k) => `Remove ${k}`)].join('\n');
    const answer = await vscode.window.showWarningMessage(
      `Change the tags of ${ids[0]} (${flowLogLabel(ref.flowLog)})?`,
      { modal: true, detail },
      'Change Tags',
    );
    if (answer !== 'Change Tags') return { dryRun: 'wouldSucceed', confirmed: false, lines: [] };
    const done = await s.service.aws.call('changeFlowLogTags', ref.profile.name, ref.region, { ...args, dryRun: false });
    const ok = done.kind === 'done';
    const line = {
      resourceId: ids[0],
      ok,
      text: ok ? `${ids[0]}: tags changed (${detail.replace(/\n/g, '; ')})` : `${ids[0]}: tags not changed: ${describeFailure(done)}`,
    };
    log(`Edit Tags ${ref.profile.name} ${ref.region}: ${line.text}`);
    if (ok) void vscode.window.showInformationMessage(`Tags of ${ids[0]} changed.`);
    else void vscode.window.showErrorMessage(line.text);
    await refreshAfter(ref.profile, ref.region);
    return { dryRun: 'wouldSucceed', confirmed: true, lines: [line] };
  };

  const guarded =
    <A extends unknown[]>(name: string, run: (...a: A) => Promise<WriteResult | undefined>) =>
    async (...a: A): Promise<WriteResult | undefined> => {
      try {
        return await run(...a);
      } catch (err) {
        const message = errorOf(err).message;
        s.logger.error(`[write] ${name} failed: ${message}`);
        void vscode.window.showErrorMessage(`${name} failed: ${message}`);
        return { dryRun: 'error', confirmed: false, lines: [], error: message };
      }
    };

  return [
    vscode.commands.registerCommand(
      'flowLogs.createFlowLog',
      guarded('Create Flow Log', (arg?: unknown) => createFlowLog(arg)),
    ),
    vscode.commands.registerCommand(
      'flowLogs.deleteFlowLogs',
      guarded('Delete Flow Log(s)', (arg?: unknown, sel?: unknown) => deleteFlowLogs(arg, sel)),
    ),
    vscode.commands.registerCommand(
      'flowLogs.editFlowLogTags',
      guarded('Edit Tags', (arg?: unknown, preset?: unknown) => editTags(arg, preset)),
    ),
  ];
}
