/**
 * Flows in the engine: create (with Flow JSON checked into validationErrors, cloned, published at once),
 * list in pages, get, preview, update, assets, Meta's status transitions, delete, each declared error.
 */
import { assert, describe, it } from "@effect/vitest"
import * as Shapes from "@social-messaging/domain/generated/Shapes"
import { Effect, TestClock } from "effect"
import { bytes, failure, jsonBytes, linkedEngine } from "./support/Linked.js"

const flowJson = jsonBytes({
  version: "7.3",
  screens: [{ id: "WELCOME", terminal: true, layout: { type: "SingleColumnLayout", children: [] } }]
})
const flowId = Shapes.MetaFlowId.make

describe("Flows", () => {
  it.effect("DRAFT → PUBLISHED → DEPRECATED; only a draft is updated or deleted, only a published one deprecated", () =>
    Effect.gen(function*() {
      const { engine, id } = yield* linkedEngine()
      const created = yield* engine.createWhatsAppFlow({ id, flowName: "Sign up", categories: ["SIGN_UP"] })
      assert.deepStrictEqual(created.validationErrors, [])
      const target = { id, flowId: flowId(created.flowId ?? "") }
      const status = () => Effect.map(engine.getWhatsAppFlow(target), (flow) => flow.flowStatus)
      assert.strictEqual(yield* status(), "DRAFT")
      const noJson = yield* failure(engine.publishWhatsAppFlow(target))
      assert.include(noJson.message ?? "", "no Flow JSON")
      assert.deepStrictEqual(yield* engine.updateWhatsAppFlowAssets({ ...target, flowJson }), { validationErrors: [] })
      yield* engine.updateWhatsAppFlow({ ...target, flowName: "Sign up v2", metaAppId: "42" })
      const early = yield* failure(engine.deprecateWhatsAppFlow(target))
      assert.strictEqual(early._tag, "InvalidParametersException")
      yield* engine.publishWhatsAppFlow(target)
      assert.strictEqual(yield* status(), "PUBLISHED")
      for (
        const attempt of [
          engine.publishWhatsAppFlow(target),
          engine.updateWhatsAppFlow({ ...target, flowName: "x" }),
          engine.updateWhatsAppFlowAssets({ ...target, flowJson }),
          engine.deleteWhatsAppFlow(target)
        ]
      ) {
        const error = yield* failure(attempt)
        assert.strictEqual(error._tag, "InvalidParametersException")
        assert.include(error.message ?? "", "PUBLISHED")
      }
      yield* engine.deprecateWhatsAppFlow(target)
      assert.strictEqual(yield* status(), "DEPRECATED")
      const flow = yield* engine.getWhatsAppFlow(target)
      assert.strictEqual(flow.flowName, "Sign up v2")
      assert.strictEqual(flow.jsonVersion, "7.3")
      assert.strictEqual(flow.application?.id, "42")
    }))

  it.effect("Flow JSON is validated into validationErrors; such a flow cannot be published; publish at create when valid", () =>
    Effect.gen(function*() {
      const { engine, id } = yield* linkedEngine()
      const broken = yield* engine.createWhatsAppFlow({
        id,
        flowName: "Broken",
        categories: ["OTHER"],
        flowJson: jsonBytes({ version: "7.3", screens: [] }),
        publish: true
      })
      assert.isNotEmpty(broken.validationErrors ?? [])
      const target = { id, flowId: flowId(broken.flowId ?? "") }
      assert.strictEqual((yield* engine.getWhatsAppFlow(target)).flowStatus, "DRAFT")
      assert.include((yield* failure(engine.publishWhatsAppFlow(target))).message ?? "", "validation errors")
      const notJson = yield* engine.updateWhatsAppFlowAssets({ ...target, flowJson: bytes("{") })
      assert.match(notJson.validationErrors?.[0] ?? "", /^INVALID_JSON/)
      const fixed = yield* engine.updateWhatsAppFlowAssets({ ...target, flowJson })
      assert.deepStrictEqual(fixed.validationErrors, [])
      const endpoint = yield* engine.updateWhatsAppFlowAssets({
        ...target,
        flowJson: jsonBytes({
          version: "7.3",
          data_api_version: "3.0",
          routing_model: { WELCOME: [] },
          screens: [{ id: "WELCOME", terminal: true, layout: { type: "SingleColumnLayout", children: [] } }]
        })
      })
      assert.deepStrictEqual(endpoint.validationErrors, [])
      assert.include((yield* failure(engine.publishWhatsAppFlow(target))).message ?? "", "endpointUri")
      yield* engine.updateWhatsAppFlow({ ...target, endpointUri: "https://example.com/flow" })
      yield* engine.publishWhatsAppFlow(target)
      const atOnce = yield* engine.createWhatsAppFlow({
        id,
        flowName: "Ready",
        categories: ["SURVEY"],
        flowJson,
        publish: true
      })
      assert.strictEqual(
        (yield* engine.getWhatsAppFlow({ id, flowId: flowId(atOnce.flowId ?? "") })).flowStatus,
        "PUBLISHED"
      )
      const clone = yield* engine.createWhatsAppFlow({
        id,
        flowName: "Copy",
        categories: ["SURVEY"],
        cloneFlowId: flowId(atOnce.flowId ?? "")
      })
      const assets = yield* engine.listWhatsAppFlowAssets({ id, flowId: flowId(clone.flowId ?? "") })
      assert.deepStrictEqual(assets.flowAssets.map((a) => [a.name, a.assetType]), [["flow.json", "FLOW_JSON"]])
      const missingClone = yield* failure(
        engine.createWhatsAppFlow({ id, flowName: "X", categories: ["SURVEY"], cloneFlowId: flowId("1") })
      )
      assert.strictEqual(missingClone._tag, "ResourceNotFoundException")
      const duplicate = yield* failure(engine.createWhatsAppFlow({ id, flowName: "Ready", categories: ["SURVEY"] }))
      assert.strictEqual(duplicate._tag, "InvalidParametersException")
    }))

  it.effect("lists in pages, previews (30 days, invalidate), deletes a draft (again succeeds)", () =>
    Effect.gen(function*() {
      const { engine, id } = yield* linkedEngine({ defaultPageSize: 2 })
      for (const name of ["A", "B", "C"]) {
        yield* engine.createWhatsAppFlow({ id, flowName: name, categories: ["OTHER"] })
      }
      const first = yield* engine.listWhatsAppFlows({ id })
      assert.deepStrictEqual(first.flows.map((f) => f.flowName), ["A", "B"])
      assert.isDefined(first.nextToken)
      const second = yield* engine.listWhatsAppFlows({ id, nextToken: first.nextToken })
      assert.deepStrictEqual(second.flows.map((f) => [f.flowName, f.flowStatus]), [["C", "DRAFT"]])
      assert.isUndefined(second.nextToken)
      const target = { id, flowId: flowId(first.flows[0]?.flowId ?? "") }
      const preview = yield* engine.getWhatsAppFlowPreview(target)
      assert.strictEqual((yield* engine.getWhatsAppFlowPreview(target)).preview.previewUrl, preview.preview.previewUrl)
      const fresh = yield* engine.getWhatsAppFlowPreview({ ...target, invalidate: true })
      assert.notStrictEqual(fresh.preview.previewUrl, preview.preview.previewUrl)
      yield* TestClock.adjust("30 days")
      assert.notStrictEqual((yield* engine.getWhatsAppFlowPreview(target)).preview.previewUrl, fresh.preview.previewUrl)
      yield* engine.deleteWhatsAppFlow(target)
      yield* engine.deleteWhatsAppFlow(target)
      assert.strictEqual((yield* failure(engine.getWhatsAppFlow(target)))._tag, "ResourceNotFoundException")
      assert.strictEqual(
        (yield* failure(engine.deleteWhatsAppFlow({ id, flowId: flowId("7") })))._tag,
        "ResourceNotFoundException"
      )
      yield* engine.setMetaStatus(id, "accessRevoked")
      assert.strictEqual((yield* failure(engine.listWhatsAppFlows({ id })))._tag, "AccessDeniedByMetaException")
      yield* engine.setMetaStatus(id, "unavailable")
      assert.strictEqual((yield* failure(engine.listWhatsAppFlows({ id })))._tag, "DependencyException")
      const badToken = yield* failure(engine.listWhatsAppFlowAssets({ ...target, nextToken: "x" }))
      assert.strictEqual(badToken._tag, "DependencyException")
    }))
})
