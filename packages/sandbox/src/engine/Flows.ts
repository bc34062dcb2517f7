/**
 * WhatsApp Flows: create (new or cloned), list (paged), get, preview, update metadata, list and update
 * assets (the Flow JSON), publish, deprecate, delete, with the status transitions Meta enforces.
 *
 * - Statuses: `DRAFT` → `PUBLISHED` (PublishWhatsAppFlow, or CreateWhatsAppFlow with `publish`) →
 *   `DEPRECATED` (DeprecateWhatsAppFlow). Only a draft can be updated (metadata or assets), published or
 *   deleted; only a published flow can be deprecated. Anything else is `InvalidParametersException` naming
 *   the status.
 * - The Flow JSON is checked with `WhatsAppFlow.decode` (UTF-8 JSON, `version`, `screens`, unique screen
 *   ids, a routing model naming screens). As Meta does, a Flow JSON that fails is stored anyway and its
 *   problems come back as `validationErrors` (create, update assets, get, list); a flow with validation
 *   errors, or without Flow JSON, cannot be published, and a create with `publish` leaves it a draft. A
 *   Flow JSON with `data_api_version` (an endpoint flow) needs an `endpointUri` to be published.
 * - Flow names are unique within a WABA (the sandbox's reading of Meta's "name already exists" error).
 * - A preview URL lasts 30 days; `invalidate` makes a new one.
 * - Deleting a flow deleted before succeeds again (the operation is idempotent).
 * - An unknown WABA or flow id (including `cloneFlowId`) is `ResourceNotFoundException`.
 */
import type * as Errors from "@social-messaging/domain/Errors"
import * as Shapes from "@social-messaging/domain/generated/Shapes"
import * as WhatsAppFlow from "@social-messaging/domain/WhatsAppFlow"
import * as Clock from "effect/Clock"
import * as DateTime from "effect/DateTime"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as Schema from "effect/Schema"
import * as SynchronizedRef from "effect/SynchronizedRef"
import { decimalDigits, hex } from "../internal/random.js"
import {
  type Context,
  describeIssues,
  type Flow,
  invalid,
  type LinkedWaba,
  metaAccess,
  type Method,
  type Methods,
  notFound,
  page,
  readJson,
  requireWaba,
  type State
} from "./State.js"

type Operation =
  | "CreateWhatsAppFlow"
  | "ListWhatsAppFlows"
  | "GetWhatsAppFlow"
  | "GetWhatsAppFlowPreview"
  | "UpdateWhatsAppFlow"
  | "ListWhatsAppFlowAssets"
  | "UpdateWhatsAppFlowAssets"
  | "PublishWhatsAppFlow"
  | "DeprecateWhatsAppFlow"
  | "DeleteWhatsAppFlow"

/** How long a preview URL lasts (Meta: 30 days). */
export const previewLifetime: Duration.Duration = Duration.days(30)

/** What a Flow JSON blob holds: its validation errors (Meta's way), and its versions when valid. */
export const checkFlowJson = (bytes: Uint8Array): {
  readonly validationErrors: ReadonlyArray<string>
  readonly jsonVersion: string | undefined
  readonly dataApiVersion: string | undefined
} => {
  const json = readJson(bytes)
  if (Either.isLeft(json)) {
    return { validationErrors: [`INVALID_JSON: ${json.left}`], jsonVersion: undefined, dataApiVersion: undefined }
  }
  const flow = Schema.decodeEither(WhatsAppFlow.FlowFromBytes, { errors: "all" })(bytes)
  return Either.isLeft(flow)
    ? {
      validationErrors: describeIssues(flow.left).split("; ").map((issue) => `INVALID_PROPERTY: ${issue}`),
      jsonVersion: undefined,
      dataApiVersion: undefined
    }
    : { validationErrors: [], jsonVersion: flow.right.version, dataApiVersion: flow.right.data_api_version }
}

/** Why `flow` cannot be published, if it cannot. */
const publishProblem = (flow: Flow): string | undefined =>
  flow.flowJson === undefined
    ? `Flow ${flow.flowId} has no Flow JSON yet (UpdateWhatsAppFlowAssets).`
    : flow.validationErrors.length > 0
    ? `Flow ${flow.flowId} has validation errors: ${flow.validationErrors.join("; ")}`
    : flow.dataApiVersion !== undefined && flow.endpointUri === undefined
    ? `Flow ${flow.flowId} uses a data endpoint (data_api_version): set its endpointUri first.`
    : undefined

const publishable = (flow: Flow): Effect.Effect<void, Errors.InvalidParametersException> => {
  const problem = publishProblem(flow)
  return problem === undefined ? Effect.void : Effect.fail(invalid(problem))
}

const requireStatus = (
  flow: Flow,
  status: Flow["status"],
  action: string
): Effect.Effect<void, Errors.InvalidParametersException> =>
  flow.status === status
    ? Effect.void
    : Effect.fail(invalid(`Flow ${flow.flowId} is ${flow.status}: only a ${status} flow can be ${action}.`))

const wabaOf = (state: State, id: string) =>
  Effect.gen(function*() {
    const waba = yield* requireWaba(state, id)
    yield* metaAccess(waba)
    return waba
  })

const flowOf = (state: State, waba: LinkedWaba, flowId: string) => {
  const flow = state.flows.find((f) => f.waba === waba.id && f.flowId === flowId)
  return flow === undefined ? Effect.fail(notFound(`Flow ${flowId} was not found.`)) : Effect.succeed(flow)
}

const replace = (state: State, flow: Flow): State => ({
  ...state,
  flows: state.flows.map((f) => f.waba === flow.waba && f.flowId === flow.flowId ? flow : f)
})

/** Runs `f` on the flow of the input and stores what it answers. */
const update = (
  context: Context,
  input: { readonly id: string; readonly flowId: string },
  f: (flow: Flow, waba: LinkedWaba) => Effect.Effect<Flow, Errors.InvalidParametersException>
) =>
  SynchronizedRef.modifyEffect(context.ref, (state) =>
    Effect.gen(function*() {
      const waba = yield* wabaOf(state, input.id)
      const flow = yield* flowOf(state, waba, input.flowId)
      return [{}, replace(state, yield* f(flow, waba))] as const
    }))

const previewInfo = (flow: Flow) =>
  flow.preview === undefined ? undefined : {
    previewUrl: `https://business.facebook.com/wa/manage/flows/${flow.flowId}/preview/?token=${flow.preview.token}`,
    expiresAt: DateTime.formatIso(DateTime.unsafeMake(flow.preview.expiresAtMillis))
  }

const createWhatsAppFlow = ({ ref }: Context): Method<"CreateWhatsAppFlow"> => (input) =>
  SynchronizedRef.modifyEffect(ref, (state) =>
    Effect.gen(function*() {
      const waba = yield* wabaOf(state, input.id)
      if (state.flows.some((f) => f.waba === waba.id && f.name === input.flowName)) {
        return yield* invalid(`A flow named ${JSON.stringify(input.flowName)} already exists in this WABA.`)
      }
      const source = input.cloneFlowId === undefined ? undefined : yield* flowOf(state, waba, input.cloneFlowId)
      const flowJson = input.flowJson ?? source?.flowJson
      const checked = flowJson === undefined
        ? { validationErrors: [], jsonVersion: undefined, dataApiVersion: undefined }
        : checkFlowJson(flowJson)
      const draft: Flow = {
        waba: waba.id,
        flowId: Shapes.MetaFlowId.make(yield* decimalDigits(16)),
        name: input.flowName,
        categories: input.categories,
        status: "DRAFT",
        flowJson,
        ...checked,
        endpointUri: input.endpointUri,
        metaAppId: undefined,
        preview: undefined,
        sequence: state.nextSequence
      }
      // Published only when it can be; otherwise Meta creates a draft and answers the validation errors.
      const flow: Flow = input.publish === true && publishProblem(draft) === undefined
        ? { ...draft, status: "PUBLISHED" }
        : draft
      return [
        { flowId: flow.flowId, validationErrors: flow.validationErrors },
        { ...state, flows: [...state.flows, flow], nextSequence: state.nextSequence + 1 }
      ] as const
    }))

const listWhatsAppFlows = (context: Context): Method<"ListWhatsAppFlows"> => {
  const { ref } = context
  return (input) =>
    Effect.flatMap(SynchronizedRef.get(ref), (state) =>
      Effect.gen(function*() {
        const waba = yield* wabaOf(state, input.id)
        const { items, nextToken } = yield* page(context, state.flows.filter((f) => f.waba === waba.id), input)
        return {
          flows: items.map((f) => ({
            flowId: f.flowId,
            flowName: f.name,
            flowStatus: f.status,
            flowCategories: f.categories,
            validationErrors: f.validationErrors
          })),
          ...nextToken
        }
      }))
}

const getWhatsAppFlow = ({ ref }: Context): Method<"GetWhatsAppFlow"> => (input) =>
  Effect.flatMap(SynchronizedRef.get(ref), (state) =>
    Effect.gen(function*() {
      const waba = yield* wabaOf(state, input.id)
      const flow = yield* flowOf(state, waba, input.flowId)
      const preview = previewInfo(flow)
      const canSendMessage = flow.validationErrors.length === 0 ? "AVAILABLE" : "BLOCKED"
      return {
        flowId: flow.flowId,
        flowName: flow.name,
        flowStatus: flow.status,
        categories: flow.categories,
        validationErrors: flow.validationErrors,
        ...(flow.jsonVersion === undefined ? {} : { jsonVersion: flow.jsonVersion }),
        ...(flow.dataApiVersion === undefined ? {} : { dataApiVersion: flow.dataApiVersion }),
        ...(flow.endpointUri === undefined ? {} : { endpointUri: flow.endpointUri }),
        ...(preview === undefined ? {} : { preview }),
        whatsAppBusinessAccount: { id: waba.wabaId, name: waba.wabaName, currency: "USD" },
        ...(flow.metaAppId === undefined ? {} : {
          application: {
            id: flow.metaAppId,
            name: "Sandbox Meta app",
            link: `https://developers.facebook.com/apps/${flow.metaAppId}`
          }
        }),
        healthStatus: {
          canSendMessage,
          entities: [
            { entityType: "FLOW", id: flow.flowId, canSendMessage },
            { entityType: "WABA", id: waba.wabaId, canSendMessage: "AVAILABLE" }
          ]
        }
      }
    }))

const getWhatsAppFlowPreview = ({ ref }: Context): Method<"GetWhatsAppFlowPreview"> => (input) =>
  SynchronizedRef.modifyEffect(ref, (state) =>
    Effect.gen(function*() {
      const waba = yield* wabaOf(state, input.id)
      const flow = yield* flowOf(state, waba, input.flowId)
      const now = yield* Clock.currentTimeMillis
      const fresh = flow.preview === undefined || input.invalidate === true || now >= flow.preview.expiresAtMillis
      const updated: Flow = fresh
        ? { ...flow, preview: { token: yield* hex(32), expiresAtMillis: now + Duration.toMillis(previewLifetime) } }
        : flow
      const preview = previewInfo(updated)
      if (preview === undefined) return yield* Effect.die("a preview was just made")
      return [{ flowId: flow.flowId, preview }, replace(state, updated)] as const
    }))

const updateWhatsAppFlow = (context: Context): Method<"UpdateWhatsAppFlow"> => (input) =>
  update(context, input, (flow) =>
    Effect.as(requireStatus(flow, "DRAFT", "updated"), {
      ...flow,
      name: input.flowName ?? flow.name,
      categories: input.categories ?? flow.categories,
      endpointUri: input.endpointUri ?? flow.endpointUri,
      metaAppId: input.metaAppId ?? flow.metaAppId
    }))

const listWhatsAppFlowAssets = (context: Context): Method<"ListWhatsAppFlowAssets"> => {
  const { ref } = context
  return (input) =>
    Effect.flatMap(SynchronizedRef.get(ref), (state) =>
      Effect.gen(function*() {
        const waba = yield* wabaOf(state, input.id)
        const flow = yield* flowOf(state, waba, input.flowId)
        const assets = flow.flowJson === undefined ? [] : [{
          sequence: 1,
          name: "flow.json",
          assetType: "FLOW_JSON",
          downloadUrl: `https://mmg.whatsapp.net/sandbox/flows/${flow.flowId}/flow.json`
        }]
        const { items, nextToken } = yield* page(context, assets, input)
        return {
          flowAssets: items.map(({ assetType, downloadUrl, name }) => ({ name, assetType, downloadUrl })),
          ...nextToken
        }
      }))
}

const updateWhatsAppFlowAssets = ({ ref }: Context): Method<"UpdateWhatsAppFlowAssets"> => (input) =>
  SynchronizedRef.modifyEffect(ref, (state) =>
    Effect.gen(function*() {
      const waba = yield* wabaOf(state, input.id)
      const flow = yield* flowOf(state, waba, input.flowId)
      yield* requireStatus(flow, "DRAFT", "updated")
      const checked = checkFlowJson(input.flowJson)
      return [
        { validationErrors: checked.validationErrors },
        replace(state, { ...flow, flowJson: input.flowJson, ...checked })
      ] as const
    }))

const publishWhatsAppFlow = (context: Context): Method<"PublishWhatsAppFlow"> => (input) =>
  update(context, input, (flow) =>
    Effect.zipRight(requireStatus(flow, "DRAFT", "published"), publishable(flow)).pipe(
      Effect.as({ ...flow, status: "PUBLISHED" as const })
    ))

const deprecateWhatsAppFlow = (context: Context): Method<"DeprecateWhatsAppFlow"> => (input) =>
  update(
    context,
    input,
    (flow) => Effect.as(requireStatus(flow, "PUBLISHED", "deprecated"), { ...flow, status: "DEPRECATED" as const })
  )

const deleteWhatsAppFlow = ({ ref }: Context): Method<"DeleteWhatsAppFlow"> => (input) =>
  SynchronizedRef.modifyEffect(ref, (state) =>
    Effect.gen(function*() {
      const waba = yield* wabaOf(state, input.id)
      const deletedKey = `flow:${waba.id}:${input.flowId}`
      const flow = state.flows.find((f) => f.waba === waba.id && f.flowId === input.flowId)
      if (flow === undefined) {
        return state.deleted.has(deletedKey)
          ? [{}, state] as const
          : yield* notFound(`Flow ${input.flowId} was not found.`)
      }
      yield* requireStatus(flow, "DRAFT", "deleted")
      return [{}, {
        ...state,
        flows: state.flows.filter((f) => f !== flow),
        deleted: new Set([...state.deleted, deletedKey])
      }] as const
    }))

/** The flow operations. */
export const make = (context: Context): Methods<Operation> => ({
  createWhatsAppFlow: createWhatsAppFlow(context),
  listWhatsAppFlows: listWhatsAppFlows(context),
  getWhatsAppFlow: getWhatsAppFlow(context),
  getWhatsAppFlowPreview: getWhatsAppFlowPreview(context),
  updateWhatsAppFlow: updateWhatsAppFlow(context),
  listWhatsAppFlowAssets: listWhatsAppFlowAssets(context),
  updateWhatsAppFlowAssets: updateWhatsAppFlowAssets(context),
  publishWhatsAppFlow: publishWhatsAppFlow(context),
  deprecateWhatsAppFlow: deprecateWhatsAppFlow(context),
  deleteWhatsAppFlow: deleteWhatsAppFlow(context)
})
