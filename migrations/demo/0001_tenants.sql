-- Two demo tenants, so `strata dev` shows that each sees only itself.
INSERT INTO public.tenants (id, name) VALUES
    ('00000000-0000-4000-8000-000000000001', 'Acme Robotics'),
    ('00000000-0000-4000-8000-000000000002', 'Globex Logistics')
ON CONFLICT (id) DO NOTHING;
