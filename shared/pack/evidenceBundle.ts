import type { FairnessVersionView } from '../domain/fairness';
import type { LineageView } from '../domain/lineage';
import type { CanonicalCard, CardCompleteness } from '../domain/modelCard';
import type { RegistryModelVersion } from '../domain/registry';
import type { ChecklistResult, EvidenceSnapshot } from '../policy/evidence';
import type { ReviewComment } from '../reviews/reviewViews';
import type { LifecycleState, SunsetPlan, SunsetState } from '../lifecycle/sunsetPlan';
import type { DsseEnvelope } from '../signing/envelope';

/**
 * Everything an audit pack states about one model version, as one JSON document. The PDF, the
 * CycloneDX ML-BOM and the manifest are all drawn from it, so they cannot disagree; its sha256 (of
 * the RFC 8785 canonical JSON) is printed on the PDF's cover and listed in the signed manifest.
 * Deterministic: built from the store and an injected clock only.
 */
export interface AuditEvidenceBundle {
  schema: 'docket.audit-evidence/v1';
  /** The pack's clock: SOURCE_DATE_EPOCH when set, else the time of export. ISO 8601 UTC. */
  generatedAt: string;
  generator: { name: 'Docket'; version: string };
  model: {
    name: string;
    version: string;
    /** Every version of the model known to the workspace, oldest first (history). */
    versions: { version: string; importedAt: string }[];
    aliases: string[];
    tags: { key: string; value: string }[];
    registry: Omit<RegistryModelVersion, 'aliases'> | null;
  };
  card: {
    canonical: CanonicalCard;
    completeness: CardCompleteness;
    source: { file: string; format: string; sha256: string; importedAt: string; syncRunId: number };
  } | null;
  lineage: LineageView;
  fairness: FairnessVersionView;
  spend: SpendEvidence;
  policy: {
    pack: { name: string; version: string };
    /** The catalog controls the checklist cites, with their citations (EU AI Act, NIST AI RMF, ISO/IEC 42001). */
    controls: { id: string; title: string; euAiAct: string[]; nistAiRmf: string[]; iso42001: string[] }[];
    checklist: ChecklistResult;
    /** The evidence the checklist judged, and its hash (what decisions sign). */
    evidence: EvidenceSnapshot;
    evidenceHash: string;
  };
  reviews: {
    id: number;
    state: string;
    trigger: string;
    openedAt: string;
    openedBy: string;
    dueAt: string | null;
    closedAt: string | null;
    comments: ReviewComment[];
  }[];
  decisions: {
    digest: string;
    kind: string;
    signer: string;
    role: string;
    keyId: string;
    signedAt: string;
    rationale: string;
    evidenceHash: string;
    verified: boolean;
    verification: string;
    envelope: DsseEnvelope;
  }[];
  /** Public keys of every signer named above, with their trust state in the exporting workspace. */
  keys: { keyId: string; name: string; role: string; publicKeyPem: string; trusted: boolean; revokedAt: string | null }[];
  audit: {
    /** Audit entries about this version: its reviews, decisions, imports of its card and evaluations. */
    entries: { seq: number; at: string; actor: string; action: string; subject: string; hash: string }[];
    /** The chain head when the pack was built, and whether the whole chain verified then. */
    head: { seq: number; hash: string } | null;
    chainVerified: boolean;
  };
  /**
   * Where the version stands in its lifecycle, with every sunset proposed for it (oldest first) and
   * their signed decisions. Sunset decision envelopes are of type SUNSET_PAYLOAD_TYPE
   * (application/vnd.docket.sunset-decision+json): they live here, not in decisions.json, which
   * holds release decisions only. Absent in bundles built before lifecycles existed (read: active).
   */
  lifecycle?: LifecycleEvidence;
}

export interface LifecycleEvidence {
  state: LifecycleState;
  /** When the version entered `state`; null while active. */
  since: string | null;
  /** The approved sunset that moved it out of 'active'; null while active. */
  sunsetId: number | null;
  sunsets: SunsetEvidence[];
}

export interface SunsetEvidence {
  id: number;
  state: SunsetState;
  plan: SunsetPlan;
  planSha256: string;
  openedAt: string;
  openedBy: string;
  closedAt: string | null;
  /** The monthly saving the plan claims (what its decisions sign), and which spend it counts. */
  saving: { net: number; currency: string; basis: string };
  decisions: {
    kind: 'approve' | 'reject' | 'withdraw';
    signer: string;
    role: string;
    keyId: string;
    signedAt: string;
    rationale: string;
    digest: string;
    verified: boolean;
    verification: string;
    envelope: DsseEnvelope;
  }[];
}

export interface SpendEvidence {
  /** The model's attributed spend (spend is per model, shared by its versions). */
  attributedTo: string;
  /** Daily effective and billed cost over the last 365 days with spend, per currency. */
  daily: { day: string; currency: string; effectiveCost: number; billedCost: number }[];
  /** Per calendar month and currency. */
  monthly: { month: string; currency: string; effectiveCost: number; billedCost: number }[];
  unitCosts: { currency: string; effectiveCost: number; requests: number; costPer1kPredictions: number | null; tokens: number | null; costPerMillionTokens: number | null }[];
  /** Where the figures came from: source name, files and FOCUS versions, last sync, Estimated days. */
  provenance: { source: string; name: string; lastSyncAt: string | null; estimatedDays: string[] }[];
}

/** Names of the files of an audit pack folder (the manifest lists each with its sha256). */
export const PACK_FILES = {
  pdf: 'audit-pack.pdf',
  evidence: 'evidence.json',
  mlBom: 'ml-bom.cdx.json',
  decisions: 'decisions.json',
  certificate: 'signing-certificate.pem',
  manifest: 'manifest.json',
  manifestSignature: 'manifest.dsse.json',
  readme: 'VERIFY.txt',
} as const;

/** The manifest: what the pack holds. Signed by the exporting reviewer's Ed25519 key as a DSSE envelope. */
export interface PackManifest {
  _type: 'https://docket.dev/audit-pack-manifest/v1';
  subject: { model: string; version: string };
  generatedAt: string;
  evidenceSha256: string;
  files: { name: string; sha256: string; bytes: number }[];
  signer: { keyId: string; name: string; role: string };
  /** The PDF's embedded signature certificate (sha256 fingerprint of its DER). */
  pdfCertificateSha256: string;
}

export const MANIFEST_PAYLOAD_TYPE = 'application/vnd.docket.audit-pack-manifest+json';
