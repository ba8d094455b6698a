//! Reference models for "what matches model X at date t": parameters and release dates, sourced.
//!
//! Release dates follow docs/science.md §2 (model cards and announcements); parameter counts come from
//! the papers or model cards named in each entry's source. Where a card gives a nominal size only
//! ("7B") we use the nominal size and say so in the locator.

use super::super::date::Date;
use super::super::explain::Source;
use serde::Serialize;

/// A well-known model used as the capability reference.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct ReferenceModel {
    /// Lower-case id used by links and the CLI, e.g. `gpt-3-175b`.
    pub id: &'static str,
    pub name: &'static str,
    /// Parameters (total, embeddings included, unless the locator says otherwise).
    pub params: f64,
    /// Public release (paper or weights), `YYYY-MM-DD`.
    pub release: Date,
    pub source: Source,
}

const fn date(year: i32, month: u32, day: u32) -> Date {
    Date { year, month, day }
}

const SRC_BROWN2020: Source = Source {
    id: "brown2020",
    citation: "Brown et al. 2020, Language Models are Few-Shot Learners, arXiv 2005.14165",
    locator: "Table 2.1 (GPT-3 175B); arXiv v1 posted 2020-05-28",
    url: "https://arxiv.org/abs/2005.14165",
};

const SRC_LLAMA1: Source = Source {
    id: "touvron2023a",
    citation: "Touvron et al. 2023, LLaMA: Open and Efficient Foundation Language Models, arXiv 2302.13971",
    locator: "Table 2 (6.7B, 13.0B, 32.5B, 65.2B); released 2023-02-24",
    url: "https://arxiv.org/abs/2302.13971",
};

const SRC_LLAMA2: Source = Source {
    id: "touvron2023b",
    citation:
        "Touvron et al. 2023, Llama 2: Open Foundation and Fine-Tuned Chat Models, arXiv 2307.09288",
    locator: "Table 1 and model card (nominal sizes 7B, 13B, 70B); released 2023-07-18",
    url: "https://arxiv.org/abs/2307.09288",
};

const SRC_LLAMA3: Source = Source {
    id: "meta2024-llama3",
    citation: "Meta 2024, Llama 3 model card (meta-llama/Meta-Llama-3-8B, -70B)",
    locator: "model card (nominal sizes 8B, 70B); released 2024-04-18",
    url: "https://github.com/meta-llama/llama3/blob/main/MODEL_CARD.md",
};

const SRC_LLAMA31: Source = Source {
    id: "dubey2024-llama31",
    citation: "Llama Team 2024, The Llama 3 Herd of Models, arXiv 2407.21783",
    locator: "§1 and Table 1 (8B, 70B, 405B); released 2024-07-23",
    url: "https://arxiv.org/abs/2407.21783",
};

const SRC_MISTRAL: Source = Source {
    id: "jiang2023-mistral",
    citation: "Jiang et al. 2023, Mistral 7B, arXiv 2310.06825; Mistral AI announcement",
    locator: "announcement: 'a 7.3B parameter model'; released 2023-09-27",
    url: "https://mistral.ai/news/announcing-mistral-7b",
};

const SRC_MINICPM: Source = Source {
    id: "hu2024-minicpm",
    citation: "Hu et al. 2024, MiniCPM: Unveiling the Potential of Small Language Models, arXiv 2404.06395",
    locator: "Table of model configurations: 2.4B non-embedding parameters (≈ 2.7B total); released 2024-02-01",
    url: "https://arxiv.org/abs/2404.06395",
};

const SRC_GEMMA: Source = Source {
    id: "gemma2024",
    citation: "Gemma Team 2024, Gemma: Open Models Based on Gemini Research and Technology, arXiv 2403.08295",
    locator: "Table 2 (embedding + non-embedding: 2B = 2.51B, 7B = 8.54B); released 2024-02-21",
    url: "https://arxiv.org/abs/2403.08295",
};

const SRC_GEMMA2: Source = Source {
    id: "gemma2-2024",
    citation: "Gemma Team 2024, Gemma 2: Improving Open Language Models at a Practical Size, arXiv 2408.00118",
    locator: "parameter-count table (embedding + non-embedding: 9B = 9.24B, 27B = 27.23B); released 2024-06-27",
    url: "https://arxiv.org/abs/2408.00118",
};

const SRC_LLAMA32: Source = Source {
    id: "meta2024-llama32",
    citation: "Meta 2024, Llama 3.2 model card (meta-llama/Llama-3.2-1B, -3B)",
    locator: "model card (1.23B, 3.21B); released 2024-09-25",
    url: "https://github.com/meta-llama/llama-models/blob/main/models/llama3_2/MODEL_CARD.md",
};

/// GPT-3 175B (2020-05-28), the seed's reference.
pub const GPT3_175B: ReferenceModel = ReferenceModel {
    id: "gpt-3-175b",
    name: "GPT-3 175B",
    params: 175e9,
    release: date(2020, 5, 28),
    source: SRC_BROWN2020,
};

/// MiniCPM-1-2.4B (2024-02-01): the seed's small model. 2.4B is its non-embedding size, the
/// figure the talk and the paper's name use.
pub const MINICPM_1_2B4: ReferenceModel = ReferenceModel {
    id: "minicpm-1-2.4b",
    name: "MiniCPM-1-2.4B",
    params: 2.4e9,
    release: date(2024, 2, 1),
    source: SRC_MINICPM,
};

/// Every reference model, by release date.
pub const REFERENCE_MODELS: &[ReferenceModel] = &[
    GPT3_175B,
    ReferenceModel {
        id: "llama-1-7b",
        name: "Llama 1 7B",
        params: 6.7e9,
        release: date(2023, 2, 24),
        source: SRC_LLAMA1,
    },
    ReferenceModel {
        id: "llama-1-13b",
        name: "Llama 1 13B",
        params: 13.0e9,
        release: date(2023, 2, 24),
        source: SRC_LLAMA1,
    },
    ReferenceModel {
        id: "llama-1-33b",
        name: "Llama 1 33B",
        params: 32.5e9,
        release: date(2023, 2, 24),
        source: SRC_LLAMA1,
    },
    ReferenceModel {
        id: "llama-1-65b",
        name: "Llama 1 65B",
        params: 65.2e9,
        release: date(2023, 2, 24),
        source: SRC_LLAMA1,
    },
    ReferenceModel {
        id: "llama-2-7b",
        name: "Llama 2 7B",
        params: 7e9,
        release: date(2023, 7, 18),
        source: SRC_LLAMA2,
    },
    ReferenceModel {
        id: "llama-2-13b",
        name: "Llama 2 13B",
        params: 13e9,
        release: date(2023, 7, 18),
        source: SRC_LLAMA2,
    },
    ReferenceModel {
        id: "llama-2-70b",
        name: "Llama 2 70B",
        params: 70e9,
        release: date(2023, 7, 18),
        source: SRC_LLAMA2,
    },
    ReferenceModel {
        id: "mistral-7b",
        name: "Mistral-7B",
        params: 7.3e9,
        release: date(2023, 9, 27),
        source: SRC_MISTRAL,
    },
    MINICPM_1_2B4,
    ReferenceModel {
        id: "gemma-2b",
        name: "Gemma 2B",
        params: 2.51e9,
        release: date(2024, 2, 21),
        source: SRC_GEMMA,
    },
    ReferenceModel {
        id: "gemma-7b",
        name: "Gemma 7B",
        params: 8.54e9,
        release: date(2024, 2, 21),
        source: SRC_GEMMA,
    },
    ReferenceModel {
        id: "llama-3-8b",
        name: "Llama 3 8B",
        params: 8e9,
        release: date(2024, 4, 18),
        source: SRC_LLAMA3,
    },
    ReferenceModel {
        id: "llama-3-70b",
        name: "Llama 3 70B",
        params: 70e9,
        release: date(2024, 4, 18),
        source: SRC_LLAMA3,
    },
    ReferenceModel {
        id: "gemma-2-9b",
        name: "Gemma 2 9B",
        params: 9.24e9,
        release: date(2024, 6, 27),
        source: SRC_GEMMA2,
    },
    ReferenceModel {
        id: "gemma-2-27b",
        name: "Gemma 2 27B",
        params: 27.23e9,
        release: date(2024, 6, 27),
        source: SRC_GEMMA2,
    },
    ReferenceModel {
        id: "llama-3.1-8b",
        name: "Llama 3.1 8B",
        params: 8e9,
        release: date(2024, 7, 23),
        source: SRC_LLAMA31,
    },
    ReferenceModel {
        id: "llama-3.1-70b",
        name: "Llama 3.1 70B",
        params: 70e9,
        release: date(2024, 7, 23),
        source: SRC_LLAMA31,
    },
    ReferenceModel {
        id: "llama-3.1-405b",
        name: "Llama 3.1 405B",
        params: 405e9,
        release: date(2024, 7, 23),
        source: SRC_LLAMA31,
    },
    ReferenceModel {
        id: "llama-3.2-1b",
        name: "Llama 3.2 1B",
        params: 1.23e9,
        release: date(2024, 9, 25),
        source: SRC_LLAMA32,
    },
    ReferenceModel {
        id: "llama-3.2-3b",
        name: "Llama 3.2 3B",
        params: 3.21e9,
        release: date(2024, 9, 25),
        source: SRC_LLAMA32,
    },
];

/// The reference model with this id.
pub fn reference_model(id: &str) -> Option<&'static ReferenceModel> {
    REFERENCE_MODELS.iter().find(|m| m.id == id)
}

/// Every reference id, for error messages and lists.
pub fn reference_ids() -> Vec<&'static str> {
    REFERENCE_MODELS.iter().map(|m| m.id).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn table_is_valid() {
        let mut ids = std::collections::HashSet::new();
        for m in REFERENCE_MODELS {
            assert!(ids.insert(m.id), "duplicate id {}", m.id);
            // Every release date is a real calendar date.
            let s = m.release.to_string();
            assert_eq!(Date::parse(&s).unwrap(), m.release, "{}", m.id);
            assert!(m.params > 1e8 && m.params < 1e13, "{}", m.id);
            assert!(!m.source.url.is_empty(), "{}", m.id);
        }
        assert_eq!(reference_model("gpt-3-175b").unwrap().params, 175e9);
        // Release dates, docs/science.md §2.
        assert_eq!(
            reference_model("llama-3.1-405b")
                .unwrap()
                .release
                .to_string(),
            "2024-07-23"
        );
        assert_eq!(
            reference_model("mistral-7b").unwrap().release.to_string(),
            "2023-09-27"
        );
    }
}
