-- One micro-center (企业微中心) speaks for one enterprise: an enterprise
-- account files demands in the name of the enterprise whose micro-center
-- is its unit, which must be one.
CREATE UNIQUE INDEX enterprises_micro_center ON enterprises(micro_center) WHERE micro_center IS NOT NULL;
