/**
 * Topics a reader can filter their digest by: a small built-in list, each defined by keywords,
 * or the reader's own keyword. A paper matches a topic when one of its keywords appears in the
 * paper's title, abstract or Hugging Face's `ai_keywords` as a whole word (case-insensitive); a
 * built-in keyword ending in `*` also matches longer words ("agent*": agent, agents, agentic).
 */
import type { Paper } from "./paper";

export interface Topic {
  id: string;
  label: string;
  keywords: readonly string[];
}

export const TOPICS: readonly Topic[] = [
  {
    id: "language-models",
    label: "Language models",
    keywords: ["language model*", "llm*", "gpt*", "instruction tuning", "in-context learning", "chain-of-thought", "chain of thought", "tokeniz*"],
  },
  { id: "agents", label: "Agents", keywords: ["agent*", "tool use", "tool-use", "tool calling", "function calling", "computer use", "gui", "web navigation"] },
  {
    id: "vision",
    label: "Vision",
    keywords: ["vision", "visual", "image*", "object detection", "segmentation", "depth estimation", "3d", "point cloud*", "vit"],
  },
  {
    id: "multimodal",
    label: "Multimodal",
    keywords: ["multimodal", "multi-modal", "vision-language", "vision language", "vlm*", "mllm*", "image-text", "audio-visual", "omni-modal"],
  },
  {
    id: "generation",
    label: "Image and video generation",
    keywords: ["diffusion", "image generation", "video generation", "text-to-image", "text-to-video", "image editing", "video editing", "flow matching", "generative model*"],
  },
  {
    id: "robotics",
    label: "Robotics",
    keywords: ["robot*", "embodied", "manipulation", "locomotion", "vision-language-action", "vla", "autonomous driving", "self-driving"],
  },
  {
    id: "reinforcement-learning",
    label: "Reinforcement learning",
    keywords: ["reinforcement learning", "rl", "rlhf", "rlvr", "reward model*", "policy optimization", "grpo", "ppo", "dpo", "preference optimization"],
  },
  { id: "speech-audio", label: "Speech and audio", keywords: ["speech", "audio", "asr", "text-to-speech", "tts", "voice", "music", "spoken"] },
  {
    id: "efficiency",
    label: "Efficiency",
    keywords: ["efficien*", "quantiz*", "pruning", "distillation", "sparse", "sparsity", "speculative decoding", "kv cache", "kv-cache", "lora", "mixture-of-experts", "mixture of experts", "moe", "compression", "latency"],
  },
  {
    id: "safety",
    label: "Safety and alignment",
    keywords: ["safety", "alignment", "aligned", "jailbreak*", "red teaming", "red-teaming", "harmful", "toxicity", "hallucinat*", "interpretab*", "watermark*", "adversarial"],
  },
  {
    id: "theory",
    label: "Theory",
    keywords: ["theory", "theoretical", "theorem*", "provabl*", "convergence", "generalization bound*", "sample complexity", "scaling law*"],
  },
  { id: "datasets-benchmarks", label: "Datasets and benchmarks", keywords: ["dataset*", "benchmark*", "leaderboard*", "corpus", "corpora", "evaluation suite*"] },
];

const BY_ID = new Map(TOPICS.map((topic) => [topic.id, topic]));

export function builtInTopic(id: string): Topic | undefined {
  return BY_ID.get(id);
}

/** How a topic reads in an email or on a page: the built-in label, or the reader's keyword in quotes. */
export function topicLabel(topic: string): string {
  return BY_ID.get(topic)?.label ?? `“${topic}”`;
}

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
const WORD = "[\\p{L}\\p{N}]";

/** One pattern per topic: any of its keywords as a whole word (or a word's start, for `*`). */
function patternFor(keywords: readonly string[]): RegExp {
  const alternatives = keywords.map((keyword) => {
    const prefix = keyword.endsWith("*");
    const body = escapeRegExp(prefix ? keyword.slice(0, -1) : keyword).replace(/ /g, "\\s+");
    return prefix ? body : `${body}(?!${WORD})`;
  });
  return new RegExp(`(?<!${WORD})(?:${alternatives.join("|")})`, "iu");
}

const patterns = new Map<string, RegExp>();

function topicPattern(topic: string): RegExp {
  let pattern = patterns.get(topic);
  if (!pattern) {
    pattern = patternFor(BY_ID.get(topic)?.keywords ?? [topic]);
    patterns.set(topic, pattern);
  }
  return pattern;
}

// A paper's searchable text, joined once per paper object however many readers' topics test it.
const searchable = new WeakMap<Paper, string>();

function textOf(paper: Paper): string {
  let text = searchable.get(paper);
  if (text === undefined) {
    text = [paper.title, paper.summary, ...paper.aiKeywords].join(" \n ");
    searchable.set(paper, text);
  }
  return text;
}

/** True when the paper matches any of the topics; every paper matches an empty list. */
export function matchesAnyTopic(paper: Paper, topics: readonly string[]): boolean {
  if (topics.length === 0) return true;
  const text = textOf(paper);
  return topics.some((topic) => topicPattern(topic).test(text));
}
