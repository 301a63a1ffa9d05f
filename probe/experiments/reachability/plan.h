// Turns an input (catalogue service, ad-hoc URL or endpoint) into the list of targets one record will test.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "catalogue/catalogue.h"
#include "experiments/reachability/input_spec.h"
#include "observe/measured_record.h"
#include "record/enums.h"

namespace rp {

// The kinds of target are the record's own vocabulary (record/enums.h).
using TargetKind = TargetRefKind;

struct TargetSpec {
  std::string ref;  // canonical spelling, the `target` of every observation made for it
  TargetKind kind = TargetKind::domain;
  std::string host;                         // what to resolve / connect to
  std::optional<std::string> unicode_host;  // an IDN host's Unicode form, recorded beside the A-label ref
  std::optional<UrlParts> url;              // for url targets
  std::optional<EndpointParts> endpoint;    // for endpoint targets
  std::optional<HealthyRule> healthy;
  std::optional<std::string> pinned_pem;  // verify TLS to host against these anchors only
  std::string note;
};

struct MeasurementPlan {
  std::optional<std::string> service;  // catalogue id, or nullopt for ad-hoc inputs
  std::string input_kind;              // service | url | endpoint
  std::string input_value;
  std::vector<TargetSpec> targets;
};

// A catalogue service: every URL, endpoint and domain of it, in catalogue order, duplicates dropped.
// Entries that do not parse are skipped (the catalogue loader and lint reject them long before).
MeasurementPlan plan_service(const Service& service);

MeasurementPlan plan_url(const UrlParts& url);
MeasurementPlan plan_endpoint(const EndpointParts& endpoint);

// What the record will list of a plan's input and targets, for the output layer (which never sees plans).
MeasuredRecord measured_record_of(const MeasurementPlan& plan);

}  // namespace rp
