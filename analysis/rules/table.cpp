// The rule table, generated from rules.def, and decide(): the first rule that fires decides.
#include "rules.h"

#include "rules/sentences.h"

namespace ra {

const std::vector<Rule>& rule_table() {
  static const std::vector<Rule> table = {
#define RULE(id, summary) {#id, summary, rules::id},
#include "rules/rules.def"
#undef RULE
  };
  return table;
}

Decision decide(const RuleContext& ctx) {
  for (const auto& rule : rule_table()) {
    if (auto f = rule.fn(ctx)) {
      if (f->attribution == Attribution::inconclusive) {
        f->confidence = Confidence::low;
      } else if (!ctx.c && !f->control_independent) {
        f->confidence = lower(f->confidence);
        f->evidence.sentence += sentences::no_control_note();
      }
      return {rule.id, std::move(*f)};
    }
  }
  return {"thin_evidence", *rules::thin_evidence(ctx)};  // unreachable: thin_evidence always fires
}

}  // namespace ra
