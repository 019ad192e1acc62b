/**
 * A busy day of papers whose titles and abstracts hit the built-in topics, for the editions
 * benchmark: the 30 real abstracts of test/fixtures/long-papers.ts (without their fixture
 * keywords, which would put every paper on three topics) and 30 papers written for one or two
 * topics each, in rank order by upvotes. Plus `weekPapers`: another day of the same week.
 */
import type { Paper } from "../../src/papers/paper";
import { longPapers } from "../../test/fixtures/long-papers";
import { busyDayPapers } from "../../test/support/hf-items";
import { seededRandom } from "../../test/support/random";

/** [title, what it is about]; the words that put it on a topic are in here, never in the filler. */
const WRITTEN: [string, string][] = [
  ["Tool-Calling Agents That Plan Over Long Web Navigation Tasks", "We train agents that interleave planning with tool calling and evaluate them on web navigation tasks of up to 60 steps."],
  ["GUI Agents Learn From Their Own Failed Episodes", "Computer use agents replay failed episodes on a GUI and rewrite them into successful demonstrations."],
  ["Open-Vocabulary Object Detection With Frozen Encoders", "A frozen image encoder and a light head give open-vocabulary object detection that transfers across domains."],
  ["Depth Estimation From a Single Photograph in the Wild", "Monocular depth estimation trained on mixed sources recovers metric 3D structure from one photograph."],
  ["Omni-Modal Pretraining Aligns Sound, Pictures and Text", "An omni-modal model is pretrained on audio-visual and image-text pairs and answers questions across them."],
  ["Vision-Language Models Read Charts Without OCR", "A vision-language model learns to read charts end to end; we compare it with pipelines built on OCR."],
  ["Flow Matching for Consistent Text-to-Video Generation", "Flow matching with a temporal prior gives text-to-video generation that keeps characters consistent."],
  ["Instruction-Guided Image Editing Without Masks", "A diffusion editor follows instructions for image editing without user-drawn masks."],
  ["Vision-Language-Action Policies for Dexterous Robot Manipulation", "A vision-language-action policy controls a dexterous hand for robot manipulation of unseen objects."],
  ["Legged Locomotion Learned Entirely in Simulation", "Quadruped locomotion policies trained in simulation transfer to stairs, gravel and snow."],
  ["Critic-Free Policy Optimization for Mathematical Reasoning", "GRPO variants with reinforcement learning from verifiable rewards (RLVR) improve reasoning at fixed compute."],
  ["Reward Model Ensembles Against Reward Hacking", "Ensembles of reward models used in RLHF resist reward hacking better than a single large one."],
  ["Streaming Speech Recognition for Spoken Dialogue", "A streaming ASR model conditions on the spoken dialogue so far and cuts word errors on names."],
  ["Expressive Text-to-Speech From Three Seconds of Voice", "Zero-shot TTS clones a voice from a three-second prompt and controls its emotion."],
  ["Music Generation Conditioned on Lyrics and Melody", "A model writes music from lyrics and a hummed melody, evaluated by musicians in a listening study."],
  ["KV Cache Compression for Long-Context Inference", "Compressing the KV cache by 8x keeps accuracy on long contexts and halves latency."],
  ["Speculative Decoding With Early-Exit Drafts", "Early-exit layers of the target model draft tokens for speculative decoding without a second model."],
  ["Quantized Low-Rank Adapters at Two Bits", "LoRA adapters on a 2-bit quantized base model recover most of the accuracy of full fine-tuning."],
  ["Jailbreak Detection Through Interpretable Probes", "Linear probes on activations flag jailbreak attempts and explain which features fire."],
  ["Hallucination Rates Fall With Retrieval, but Not Evenly", "We measure hallucination across domains and find retrieval helps least where it is most needed."],
  ["Watermarking Generated Text Against Paraphrase Attacks", "A watermark for generated text survives paraphrasing and adversarial editing at low false-positive rates."],
  ["A Convergence Theory for Adaptive Optimizers", "We prove convergence of adaptive optimizers under heavy-tailed gradient noise."],
  ["Provable Length Generalization in Transformers", "A theorem characterises when attention-only models generalise to longer inputs than they were trained on."],
  ["Scaling Laws for Data Mixtures", "Scaling laws predict the best mixture of web, code and math data before training."],
  ["A Benchmark of Scientific Figures and Their Captions", "A new benchmark pairs 40,000 scientific figures with captions and questions written by authors."],
  ["A Multilingual Dataset of Everyday Instructions", "We release a dataset of 1.2 million instructions in 48 languages, collected from volunteers."],
  ["Mamba Layers Match Attention on Long Documents", "Hybrid models with Mamba layers match attention on long-document question answering."],
  ["Small Language Models Learn Chain-of-Thought From Synthetic Traces", "Instruction tuning of small language models on synthetic chain-of-thought traces transfers to new tasks."],
  ["Tokenizer-Free Language Models at Scale", "Byte-level language models without a tokenizer reach parity with subword models at 7B parameters."],
  ["Embodied Agents Learn House Chores From Video", "Embodied agents watch videos of people doing chores and learn to repeat them in new homes."],
];

/** Sentences that say nothing about any topic (checked: no topic keyword in them). */
const FILLER = [
  "We describe the method in detail and release the code.",
  "Experiments on several tasks show consistent gains over strong baselines.",
  "An ablation study isolates the contribution of each component.",
  "We discuss limitations and directions for future work.",
  "The approach needs no extra labelled examples and adds little training cost.",
  "Results hold across model sizes and random seeds.",
  "We analyse failure cases and find that most come from ambiguous inputs.",
  "Compared with prior work, the method is simpler to implement and to tune.",
  "Human judges prefer its outputs in a blind comparison.",
  "Our findings suggest a practical recipe that others can follow.",
];

/** Upvotes: the topic day's are 2 mod 7 and hf-items' busy day's 3 mod 7, so the week's ranking has no ties. */
const upvotesOf = (index: number) => 450 - 7 * index;

/** The busy day: 60 papers, interleaving real and written ones, ranked by upvotes. */
export function topicDayPapers(seed = 11): Paper[] {
  const next = seededRandom(seed);
  const written: Paper[] = WRITTEN.map(([title, about], index) => {
    let summary = about;
    while (summary.length < 1200) summary += ` ${FILLER[Math.floor(next() * FILLER.length)]}`;
    return { ...longPapers[index]!, id: `2612.${String(20001 + index)}`, title, summary, aiKeywords: [], thumbnail: null };
  });
  const real: Paper[] = longPapers.map((paper) => ({ ...paper, aiKeywords: [] }));
  const mixed = real.flatMap((paper, index) => [written[index]!, paper]);
  return mixed.map((paper, index) => ({ ...paper, upvotes: upvotesOf(index), numComments: 12 }));
}

/** Papers listed earlier in the same week (hf-items' busy day): the weekly edition ranks them with the topic day's. */
export function weekPapers(): Paper[] {
  return busyDayPapers(30);
}

/**
 * 30 topic choices: every topic alone, pairs and larger sets, up to ten topics, and readers' own
 * keywords (one that only a single paper has, one that no paper has, so its readers are unmatched).
 */
export const TOPIC_COMBINATIONS: readonly (readonly string[])[] = [
  [],
  ["language-models"],
  ["agents"],
  ["vision"],
  ["multimodal"],
  ["generation"],
  ["robotics"],
  ["reinforcement-learning"],
  ["speech-audio"],
  ["efficiency"],
  ["safety"],
  ["theory"],
  ["datasets-benchmarks"],
  ["language-models", "agents"],
  ["vision", "multimodal"],
  ["generation", "vision"],
  ["robotics", "reinforcement-learning"],
  ["efficiency", "language-models"],
  ["safety", "language-models"],
  ["theory", "reinforcement-learning"],
  ["agents", "reinforcement-learning", "language-models"],
  ["speech-audio", "multimodal"],
  ["datasets-benchmarks", "vision", "multimodal"],
  ["robotics", "agents", "vision", "multimodal", "generation"],
  ["language-models", "agents", "vision", "multimodal", "generation", "robotics", "reinforcement-learning", "speech-audio", "efficiency", "safety"],
  ["mamba"],
  ["continual learning"],
  ["efficiency", "sparse training"],
  ["agents", "web navigation"],
  ["quantum chemistry"],
];

/** The subject names the reader's top paper: this much of its title identifies it among these papers. */
export const titleMark = (paper: Pick<Paper, "title">) => paper.title.replace(/\s+/g, " ").trim().slice(0, 30);
