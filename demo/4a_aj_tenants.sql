-- Demo data, AJ Copilot: its two organizations (a file of their own: on a Citus cluster each
-- demo file is one transaction, and the agents of 4b_aj.sql need these committed first).
insert into core.tenants (slug, name, external_id) values
('aj-acme', 'Acme', 'org_acme'),
('aj-globex', 'Globex', 'org_globex');
