-- 020: two lookups on request paths read their table from end to end
-- (issue #21: tests/node/api_explain.test.mjs EXPLAINs every statement on a
-- generated data set). STMT_RFLOW_BY_CASE (evidence submit, a reviewer's
-- decision) found a case's open flow by walking reset_flows backwards by id;
-- STMT_MORE_INFO_GET (the "more information" link) read every case to find
-- the link's hash. Both are built online: InnoDB adds a secondary index in
-- place, reads and writes go on meanwhile.
ALTER TABLE reset_flows ADD KEY reset_flows_case (case_id, id), ALGORITHM=INPLACE, LOCK=NONE;
ALTER TABLE reset_cases ADD KEY reset_cases_more_info (more_info_hash), ALGORITHM=INPLACE, LOCK=NONE;
