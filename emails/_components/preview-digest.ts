import { digestView } from "../../src/presentation/digest-view";
import type { PaperFacts } from "../../src/presentation/paper-facts";

/** Three papers in the shape Hugging Face lists them, for `npm run email` previews only. */
const PREVIEW_PAPERS: PaperFacts[] = [
  {
    id: "2403.99001",
    title: "Benign Overfitting and Grokking in ReLU Networks for XOR Cluster Data",
    summary:
      "Neural networks trained by gradient descent (GD) have exhibited a number of surprising generalization behaviors. First, they can achieve a perfect fit to noisy training data and still generalize near-optimally.",
    aiSummary: null,
    authors: ["Zhiwei Xu", "Yutong Wang", "Spencer Frei", "Gal Vardi"],
    upvotes: 214,
    numComments: 12,
    githubRepo: "https://github.com/example/grokking",
    githubStars: 1840,
    projectPage: null,
  },
  {
    id: "2403.99002",
    title: "Learning to Route Among Specialized Experts for Zero-Shot Generalization",
    summary: "We propose a routing method that picks, per token, which parameter-efficient expert to use. It improves zero-shot generalization on held-out tasks.",
    aiSummary: "Per-token routing among specialised experts improves zero-shot generalisation.",
    authors: ["Mohammed Muqeeth", "Haokun Liu"],
    upvotes: 97,
    numComments: 0,
    githubRepo: null,
    githubStars: null,
    projectPage: "https://example.github.io/routing/",
  },
  {
    id: "2403.99003",
    title: "$\\mathcal{O}(n \\log n)$ Attention with Provable Guarantees",
    summary: "Attention costs quadratic time in the sequence length. We give an algorithm that runs in near-linear time with bounded error.",
    aiSummary: null,
    authors: ["Ada Lovelace"],
    upvotes: 41,
    numComments: 3,
    githubRepo: null,
    githubStars: null,
    projectPage: null,
  },
];

export const previewDigest = digestView({
  edition: "2024-03-17",
  papers: PREVIEW_PAPERS,
  siteUrl: "http://localhost:8787",
  reader: { topics: "Agents, “mamba”", preferencesUrl: "http://localhost:8787/preferences?token=preview" },
});
