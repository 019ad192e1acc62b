import type { DigestView } from "./digest-props";

/**
 * Three papers as the digest shows them, for `npm run email` previews only: what
 * src/presentation/digest-view.ts makes of them (a TeX title, a missing summary, code and project
 * links), written out so that the template needs nothing from src/.
 */
export const previewDigest: DigestView = {
  heading: "Sunday, 17 March 2024",
  intro: "3 trending AI papers from Hugging Face Daily Papers.",
  topicsLine: {
    label: "Your topics:",
    topics: "Agents, “mamba”",
    change: "Change topics, size or time",
    href: "http://localhost:8787/preferences?token=preview"
  },
  webLink: {
    label: "View in browser",
    href: "http://localhost:8787/digest/2024-03-17"
  },
  papers: [
    {
      rank: 1,
      id: "2403.99001",
      title: "Benign Overfitting and Grokking in ReLU Networks for XOR Cluster Data",
      href: "https://huggingface.co/papers/2403.99001",
      byline: "Zhiwei Xu, Yutong Wang, Spencer Frei et al. · 214 upvotes · 12 comments",
      summary: "Neural networks trained by gradient descent (GD) have exhibited a number of surprising generalization behaviors.",
      links: [
        {
          kind: "huggingFace",
          label: "Hugging Face",
          href: "https://huggingface.co/papers/2403.99001"
        },
        {
          kind: "arxiv",
          label: "arXiv",
          href: "https://arxiv.org/abs/2403.99001"
        },
        {
          kind: "pdf",
          label: "PDF",
          href: "https://arxiv.org/pdf/2403.99001"
        },
        {
          kind: "code",
          label: "Code on GitHub (1.8k stars)",
          href: "https://github.com/example/grokking"
        }
      ]
    },
    {
      rank: 2,
      id: "2403.99002",
      title: "Learning to Route Among Specialized Experts for Zero-Shot Generalization",
      href: "https://huggingface.co/papers/2403.99002",
      byline: "Mohammed Muqeeth, Haokun Liu · 97 upvotes",
      summary: "Per-token routing among specialised experts improves zero-shot generalisation.",
      links: [
        {
          kind: "huggingFace",
          label: "Hugging Face",
          href: "https://huggingface.co/papers/2403.99002"
        },
        {
          kind: "arxiv",
          label: "arXiv",
          href: "https://arxiv.org/abs/2403.99002"
        },
        {
          kind: "pdf",
          label: "PDF",
          href: "https://arxiv.org/pdf/2403.99002"
        },
        {
          kind: "project",
          label: "Project page",
          href: "https://example.github.io/routing/"
        }
      ]
    },
    {
      rank: 3,
      id: "2403.99003",
      title: "𝒪(n log n) Attention with Provable Guarantees",
      href: "https://huggingface.co/papers/2403.99003",
      byline: "Ada Lovelace · 41 upvotes · 3 comments",
      summary: "Attention costs quadratic time in the sequence length.",
      links: [
        {
          kind: "huggingFace",
          label: "Hugging Face",
          href: "https://huggingface.co/papers/2403.99003"
        },
        {
          kind: "arxiv",
          label: "arXiv",
          href: "https://arxiv.org/abs/2403.99003"
        },
        {
          kind: "pdf",
          label: "PDF",
          href: "https://arxiv.org/pdf/2403.99003"
        }
      ]
    }
  ],
  reason: "You receive this because you subscribed to paperboy at localhost:8787.",
  preview: "Benign Overfitting and Grokking in ReLU Networks for XOR Cluster Data"
};
