def join_data(code, *, email="new.starter@trust.example", password="a-long-pass-9"):
    return {
        "code": code,
        "first_name": "New",
        "last_name": "Starter",
        "email": email,
        "password1": password,
        "password2": password,
    }
